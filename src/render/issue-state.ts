// The tracking issue's memory (DESIGN.md, Lifecycle): the core's Baseline, exactly. For each key
// with a counted finding: its id (none for a root key, which AWS gives no id), its creation time,
// user, kind, the day it was first seen, and what the action did to it. It is kept hidden in
// HTML comments that the caller puts in the issue body or in comments the action owns:
//
//   <!-- iam-key-sentry:state v1 part=1/2 bytes=51234 crc=0a1b2c3d 一丁丂七...丄 -->
//
// Size: 5,000 keys (IAM's user quota) must fit GitHub's 65,536 characters per body or comment
// (GitHub counts code points; it also refuses more than 262,144 bytes). So the record is packed:
// a binary layout (key ids as 10 bytes, no bytes for a root key's absent id, days as uint16,
// creation times as uint32 seconds, a table of user names each kept once), deflated, then written
// 15 bits per character with 32,768 CJK and Hangul letters (BMP, one UTF-16 unit each, 3 UTF-8
// bytes each, unchanged by Unicode normalization, never `-`, `>`, white space or a control
// character). A record longer than `maxChars` is split into parts.
//
// Pure: no I/O; node:zlib (synchronous) only to deflate.
import { deflateRawSync, inflateRawSync } from 'node:zlib'
import { keyIdentity, type Baseline, type BaselineKey } from '../core/lifecycle.js'
import type { FindingKind } from '../core/model.js'

/** The format this module writes, and the only one it reads. */
export const STATE_FORMAT_VERSION = 1

/** Default size of one part: GitHub's 65,536 characters less room for the visible text. */
export const STATE_MAX_CHARS = 60_000

/**
 * Why a record could not be read. `missing`: no record in the texts (an issue written before
 * v2, or a person deleted it). Every other reason is an unreadable record. None of them is an
 * empty state: the caller treats the issue as having no baseline.
 */
export type StateErrorReason = 'missing' | 'incomplete' | 'ambiguous' | 'version' | 'corrupt'

/** A record read: the baseline, its keys sorted by user name, then keyIdentity (the order the record is packed in). */
export type DecodedState = { ok: true; state: Baseline } | { ok: false; reason: StateErrorReason; error: string }

// ---------------------------------------------------------------------------------------------
// Fixed codes of format v1. Never derived from FINDING_KINDS: reordering the model must not
// change what a stored record means. A new kind gets a new code at the end (and old readers reject
// it). setup-key (5) and two-active-keys (6) were added in format v1 without a version bump: a
// record without them reads as before, and an older action reading a record that holds them calls
// it corrupt and starts from an empty baseline (its findings all new), which is acceptable for a
// downgrade; the version byte stays for a change of the layout itself.
const KIND_CODES: readonly FindingKind[] = ['root-key', 'stale', 'unused', 'expiring', 'inactive', 'setup-key', 'two-active-keys']

/** Per-key flags: each optional field is a bit and a column. Unknown bits make a record unreadable. */
const FLAG_DEACTIVATED = 1 // deactivatedByAction: a day in its column
const FLAG_NO_CREATED = 2 // no createdAt (a key with an id, written without it): no value in its column
const FLAG_DEACTIVATED_BY = 4 // deactivatedBy: the GitHub login who asked, as text in its column
const KNOWN_FLAGS = FLAG_DEACTIVATED | FLAG_NO_CREATED | FLAG_DEACTIVATED_BY

/** How a key id is packed. */
const ID_AKIA = 0 // AKIA + 16 base32 characters (A-Z, 2-7): 10 bytes
const ID_ASIA = 1 // ASIA + 16 base32 characters: 10 bytes
const ID_TEXT = 2 // anything else: varint length + UTF-8
const ID_NONE = 3 // no id (accessKeyId null: a root key): no body; the key must have createdAt

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
const PACKED_ID = /^(AKIA|ASIA)([A-Z2-7]{16})$/

/** Days are counted from 2000-01-01 as uint16: until 2179. */
const EPOCH = Date.UTC(2000, 0, 1)
const DAY_MS = 86_400_000
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/
/** Creation times are whole seconds since 2000-01-01 as uint32: until 2136. As core writes them: ISO, no milliseconds. */
const ISO_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/

/** A decoded record may not inflate past this (a forged record must not exhaust memory). */
const MAX_INFLATED = 32 * 1024 * 1024

// ---------------------------------------------------------------------------------------------
// The text alphabet: 2^15 code points, each a letter (\p{Lo}) of the BMP.
const RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x4e00, 0x9fff], // CJK Unified Ideographs: 20,992
  [0x3400, 0x4dbf], // CJK Unified Ideographs Extension A: 6,592
  [0xac00, 0xac00 + 5183] // Hangul Syllables (precomposed, NFC-stable): the first 5,184
]
const BITS = 15

/** The character for a 15-bit value. */
function digitChar(value: number): string {
  let v = value
  for (const [from, to] of RANGES) {
    const size = to - from + 1
    if (v < size) return String.fromCharCode(from + v)
    v -= size
  }
  throw new RangeError(`not a 15-bit value: ${value}`)
}

/** The 15-bit value of a character, or -1. */
function digitValue(code: number): number {
  let base = 0
  for (const [from, to] of RANGES) {
    if (code >= from && code <= to) return base + code - from
    base += to - from + 1
  }
  return -1
}

/** Every character the record's text may use (for tests). */
export function stateAlphabet(): string[] {
  return Array.from({ length: 1 << BITS }, (_, i) => digitChar(i))
}

function toText(bytes: Uint8Array): string {
  const out: string[] = []
  let acc = 0
  let bits = 0
  for (const byte of bytes) {
    acc = (acc << 8) | byte
    bits += 8
    if (bits >= BITS) {
      bits -= BITS
      out.push(digitChar((acc >>> bits) & 0x7fff))
      acc &= (1 << bits) - 1
    }
  }
  if (bits > 0) out.push(digitChar((acc << (BITS - bits)) & 0x7fff))
  return out.join('')
}

function fromText(text: string, length: number): Uint8Array | string {
  if (text.length !== Math.ceil((length * 8) / BITS)) {
    return `the record has ${text.length} characters where ${length} bytes need ${Math.ceil((length * 8) / BITS)}`
  }
  const out = new Uint8Array(length)
  let acc = 0
  let bits = 0
  let n = 0
  for (let i = 0; i < text.length; i++) {
    const value = digitValue(text.charCodeAt(i))
    if (value < 0) return `the record has a character it cannot hold (U+${text.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0')}) at ${i}`
    acc = (acc << BITS) | value
    bits += BITS
    while (bits >= 8 && n < length) {
      bits -= 8
      out[n++] = (acc >>> bits) & 0xff
    }
    acc &= (1 << bits) - 1
  }
  // One text for one record: the bits past the last byte are zeros.
  if (acc !== 0) return 'the record was changed: its last character does not end it'
  return out
}

// ---------------------------------------------------------------------------------------------
// CRC-32 (IEEE): zlib.crc32 exists only from Node 20.15, and the CLI supports any Node 20.
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}

// ---------------------------------------------------------------------------------------------
// The binary layout of v1, before deflate (varint: unsigned LEB128; u16, u32: little endian):
//   accountId            varint length, UTF-8
//   users                varint count, then each name (sorted, distinct): varint length, UTF-8
//   keys                 varint count; keys sorted by user, then keyIdentity (distinct); then columns:
//     user               varint per key: user index minus the previous key's
//     id form            byte per key (ID_AKIA, ID_ASIA, ID_TEXT, ID_NONE)
//     id body            per key: 10 bytes (base32 packed), varint length + UTF-8, or none (ID_NONE)
//     kind               byte per key (KIND_CODES)
//     first seen         u16 per key: days since 2000-01-01 (firstSeenAt)
//     flags              byte per key (FLAG_DEACTIVATED, FLAG_NO_CREATED)
//     created            u32 per key without FLAG_NO_CREATED: seconds since 2000-01-01T00:00:00Z
//     deactivated        u16 per key with FLAG_DEACTIVATED: days since 2000-01-01
// Columns keep alike values together, which deflate compresses best.

class Writer {
  private chunks: number[] = []
  byte(b: number) {
    this.chunks.push(b & 0xff)
  }
  u16(v: number) {
    this.chunks.push(v & 0xff, (v >>> 8) & 0xff)
  }
  u32(v: number) {
    this.chunks.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff)
  }
  varint(v: number) {
    let n = v
    while (n >= 0x80) {
      this.chunks.push((n & 0x7f) | 0x80)
      n = Math.floor(n / 128)
    }
    this.chunks.push(n)
  }
  bytes(b: Uint8Array) {
    for (const x of b) this.chunks.push(x)
  }
  text(s: string) {
    const b = Buffer.from(s, 'utf8')
    this.varint(b.length)
    this.bytes(b)
  }
  done(): Uint8Array {
    return Uint8Array.from(this.chunks)
  }
}

class Corrupt extends Error {}

class Reader {
  private at = 0
  constructor(private readonly buf: Uint8Array) {}
  private need(n: number) {
    if (this.at + n > this.buf.length) throw new Corrupt('the record ends too early')
  }
  byte(): number {
    this.need(1)
    return this.buf[this.at++]!
  }
  u16(): number {
    this.need(2)
    const v = this.buf[this.at]! | (this.buf[this.at + 1]! << 8)
    this.at += 2
    return v
  }
  u32(): number {
    this.need(4)
    const b = this.buf
    const v = b[this.at]! + b[this.at + 1]! * 0x100 + b[this.at + 2]! * 0x10000 + b[this.at + 3]! * 0x1000000
    this.at += 4
    return v
  }
  varint(): number {
    let v = 0
    let scale = 1
    for (;;) {
      const b = this.byte()
      v += (b & 0x7f) * scale
      if (b < 0x80) return v
      scale *= 128
      if (scale > 2 ** 35) throw new Corrupt('the record has a number too large')
    }
  }
  bytes(n: number): Uint8Array {
    this.need(n)
    const b = this.buf.subarray(this.at, this.at + n)
    this.at += n
    return b
  }
  text(): string {
    const b = this.bytes(this.varint())
    return new TextDecoder('utf-8', { fatal: true }).decode(b)
  }
  end() {
    if (this.at !== this.buf.length) throw new Corrupt(`the record has ${this.buf.length - this.at} bytes too many`)
  }
}

function dayNumber(day: string, what: string): number {
  const m = DAY.exec(day)
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN
  const n = (ms - EPOCH) / DAY_MS
  if (!m || !Number.isInteger(n) || dayString(n) !== day || n < 0 || n > 0xffff) {
    throw new RangeError(`${what} is not a day from 2000-01-01 to 2179 (YYYY-MM-DD): ${JSON.stringify(day)}`)
  }
  return n
}

function dayString(n: number): string {
  return new Date(EPOCH + n * DAY_MS).toISOString().slice(0, 10)
}

function secondsNumber(time: string, what: string): number {
  const ms = ISO_SECONDS.test(time) ? Date.parse(time) : NaN
  const n = (ms - EPOCH) / 1000
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff || timeString(n) !== time) {
    throw new RangeError(`${what} is not a time from 2000-01-01 to 2136 in whole seconds (YYYY-MM-DDTHH:MM:SSZ): ${JSON.stringify(time)}`)
  }
  return n
}

function timeString(n: number): string {
  return new Date(EPOCH + n * 1000).toISOString().replace('.000Z', 'Z')
}

function packId(w: Writer, bodies: Writer, id: string | null) {
  if (id === null) {
    w.byte(ID_NONE)
    return
  }
  const m = PACKED_ID.exec(id)
  if (!m) {
    w.byte(ID_TEXT)
    bodies.text(id)
    return
  }
  w.byte(m[1] === 'AKIA' ? ID_AKIA : ID_ASIA)
  // 16 characters of 5 bits: 80 bits, 10 bytes.
  let acc = 0n
  for (const c of m[2]!) acc = (acc << 5n) | BigInt(BASE32.indexOf(c))
  for (let i = 9; i >= 0; i--) bodies.byte(Number((acc >> BigInt(i * 8)) & 0xffn))
}

function unpackId(form: number, r: Reader): string | null {
  if (form === ID_NONE) return null
  if (form === ID_TEXT) return r.text()
  if (form !== ID_AKIA && form !== ID_ASIA) throw new Corrupt(`the record has an unknown key id form ${form}`)
  let acc = 0n
  for (const b of r.bytes(10)) acc = (acc << 8n) | BigInt(b)
  let body = ''
  for (let i = 15; i >= 0; i--) body += BASE32[Number((acc >> BigInt(i * 5)) & 31n)]
  return (form === ID_AKIA ? 'AKIA' : 'ASIA') + body
}

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** Keys in the record's order: by user name, then keyIdentity. */
function sortedKeys(keys: readonly BaselineKey[]): BaselineKey[] {
  return [...keys].sort((a, b) => byCodeUnits(a.userName, b.userName) || byCodeUnits(keyIdentity(a), keyIdentity(b)))
}

function pack(state: Baseline): Uint8Array {
  const keys = sortedKeys(state.keys)
  const ids = new Set<string>()
  for (const k of keys) {
    if (k.accessKeyId === null && k.createdAt === undefined) {
      throw new RangeError(`a key of user ${JSON.stringify(k.userName)} has neither an access key id nor a creation time`)
    }
    const id = keyIdentity(k)
    if (ids.has(id)) throw new RangeError(`the state holds key ${id} twice`)
    ids.add(id)
    if (!KIND_CODES.includes(k.kind)) throw new RangeError(`the state cannot hold kind ${JSON.stringify(k.kind)}`)
  }
  const users = [...new Set(keys.map((k) => k.userName))]
  const userIndex = new Map(users.map((u, i) => [u, i]))

  const w = new Writer()
  w.text(state.accountId)
  w.varint(users.length)
  for (const u of users) w.text(u)
  w.varint(keys.length)
  let previous = 0
  for (const k of keys) {
    const i = userIndex.get(k.userName)!
    w.varint(i - previous)
    previous = i
  }
  const bodies = new Writer()
  for (const k of keys) packId(w, bodies, k.accessKeyId)
  w.bytes(bodies.done())
  for (const k of keys) w.byte(KIND_CODES.indexOf(k.kind))
  for (const k of keys) w.u16(dayNumber(k.firstSeenAt, `firstSeenAt of ${keyIdentity(k)}`))
  for (const k of keys) {
    w.byte(
      (k.deactivatedByAction === undefined ? 0 : FLAG_DEACTIVATED) |
        (k.createdAt === undefined ? FLAG_NO_CREATED : 0) |
        (k.deactivatedBy === undefined ? 0 : FLAG_DEACTIVATED_BY)
    )
  }
  for (const k of keys) {
    if (k.createdAt !== undefined) w.u32(secondsNumber(k.createdAt, `createdAt of ${keyIdentity(k)}`))
  }
  for (const k of keys) {
    if (k.deactivatedByAction !== undefined) w.u16(dayNumber(k.deactivatedByAction, `deactivatedByAction of ${keyIdentity(k)}`))
  }
  for (const k of keys) {
    if (k.deactivatedBy !== undefined) w.text(k.deactivatedBy)
  }
  return w.done()
}

function unpack(bytes: Uint8Array): Baseline {
  const r = new Reader(bytes)
  const accountId = r.text()
  const userCount = r.varint()
  if (userCount > bytes.length) throw new Corrupt('the record counts more users than it holds')
  const users = Array.from({ length: userCount }, () => r.text())
  const count = r.varint()
  if (count > bytes.length) throw new Corrupt('the record counts more keys than it holds')
  const userOf: string[] = []
  let index = 0
  for (let i = 0; i < count; i++) {
    index += r.varint()
    const user = users[index]
    if (user === undefined) throw new Corrupt('the record names a user it does not hold')
    userOf.push(user)
  }
  const forms = Array.from({ length: count }, () => r.byte())
  const ids = forms.map((form) => unpackId(form, r))
  const kinds = Array.from({ length: count }, () => {
    const kind = KIND_CODES[r.byte()]
    if (kind === undefined) throw new Corrupt('the record has a finding kind this version does not know')
    return kind
  })
  const firstSeenAt = Array.from({ length: count }, () => dayString(r.u16()))
  const flags = Array.from({ length: count }, () => {
    const f = r.byte()
    if (f & ~KNOWN_FLAGS) throw new Corrupt('the record has a field this version does not know')
    return f
  })
  const created = flags.map((f) => (f & FLAG_NO_CREATED ? undefined : timeString(r.u32())))
  const seen = new Set<string>()
  const keys = ids.map((accessKeyId, i): BaselineKey => {
    const createdAt = created[i]
    if (accessKeyId === null && createdAt === undefined) throw new Corrupt('the record has a key with neither an id nor a creation time')
    const key: BaselineKey = {
      accessKeyId,
      ...(createdAt === undefined ? {} : { createdAt }),
      userName: userOf[i]!,
      kind: kinds[i]!,
      firstSeenAt: firstSeenAt[i]!
    }
    const id = keyIdentity(key)
    if (seen.has(id)) throw new Corrupt(`the record holds key ${id} twice`)
    seen.add(id)
    return key
  })
  for (const [i, key] of keys.entries()) {
    if (flags[i]! & FLAG_DEACTIVATED) key.deactivatedByAction = dayString(r.u16())
  }
  for (const [i, key] of keys.entries()) {
    if (flags[i]! & FLAG_DEACTIVATED_BY) key.deactivatedBy = r.text()
  }
  r.end()
  return { accountId, keys }
}

// ---------------------------------------------------------------------------------------------
// The text of the parts.
const TAG = 'iam-key-sentry:state'

function header(version: number, part: number, parts: number, bytes: number, crc: number): string {
  return `<!-- ${TAG} v${version} part=${part}/${parts} bytes=${bytes} crc=${crc.toString(16).padStart(8, '0')} `
}
const TRAILER = ' -->'

export interface EncodeStateOptions {
  /** Characters (code points) each part may have at most: its HTML comment, whole. */
  maxChars?: number
}

/**
 * The baseline as one or more hidden HTML comments (each on one line, at most `maxChars`
 * characters, and at most three UTF-8 bytes a character). Put them, whole, in the issue body
 * or in comments the action owns; `decodeState` finds them again among any text.
 * Keys are stored sorted by user name, then keyIdentity. Throws RangeError on a baseline it cannot
 * hold (a programming error, not data): two keys of one keyIdentity, a key with neither an id nor
 * createdAt, a createdAt that is not ISO in whole seconds, a day that is not YYYY-MM-DD, an unknown kind.
 */
export function encodeState(baseline: Baseline, options: EncodeStateOptions = {}): string[] {
  const maxChars = options.maxChars ?? STATE_MAX_CHARS
  const packed = deflateRawSync(pack(baseline), { level: 9 })
  const crc = crc32(packed)
  const text = toText(packed)
  // The header's length depends on the number of parts: grow the count until the text fits.
  let parts = 1
  for (;;) {
    const overhead = header(STATE_FORMAT_VERSION, parts, parts, packed.length, crc).length + TRAILER.length
    const room = maxChars - overhead
    if (room < 64) throw new RangeError(`maxChars ${maxChars} is too small for a state record`)
    const needed = Math.max(1, Math.ceil(text.length / room))
    if (needed <= parts) {
      // A shorter header (fewer parts) leaves more room: the slices still fit.
      return Array.from(
        { length: needed },
        (_, i) => header(STATE_FORMAT_VERSION, i + 1, needed, packed.length, crc) + text.slice(i * room, (i + 1) * room) + TRAILER
      )
    }
    parts = needed
  }
}

const RECORD = new RegExp(`<!--\\s*${TAG.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b([\\s\\S]*?)-->`, 'g')
const FIELDS = /^\s*v(\d+)\s+part=(\d+)\/(\d+)\s+bytes=(\d+)\s+crc=([0-9a-f]{8})\s+(\S[\s\S]*?)\s*$/

interface Part {
  version: number
  part: number
  parts: number
  bytes: number
  crc: string
  payload: string
}

const fail = (reason: StateErrorReason, error: string): DecodedState => ({ ok: false, reason, error })

/**
 * The state from the texts that hold it (the issue body and the action's comments, in any
 * order, with whatever people wrote around the record). Never an empty state for a record it
 * cannot read: an error result says why.
 */
export function decodeState(texts: readonly string[]): DecodedState {
  const found: Part[] = []
  let unparsed = 0
  let other: number | null = null
  for (const text of texts) {
    for (const match of text.matchAll(RECORD)) {
      const version = /^\s*v(\d+)\b/.exec(match[1]!)
      if (version && Number(version[1]) !== STATE_FORMAT_VERSION) {
        other = Math.max(other ?? 0, Number(version[1]))
        continue
      }
      const m = FIELDS.exec(match[1]!)
      if (!m) {
        unparsed++
        continue
      }
      found.push({
        version: Number(m[1]),
        part: Number(m[2]),
        parts: Number(m[3]),
        bytes: Number(m[4]),
        crc: m[5]!,
        payload: m[6]!.replace(/\s+/g, '')
      })
    }
  }
  if (found.length === 0) {
    if (other !== null) return fail('version', `the state record is format v${other}; this version of IAM Key Sentry reads v${STATE_FORMAT_VERSION}`)
    if (unparsed) return fail('corrupt', 'the state record was changed: its header cannot be read')
    return fail('missing', 'the issue holds no state record')
  }

  // Parts of one record share its checksum and length; a stale part from an older record does not.
  const records = new Map<string, Part[]>()
  for (const p of found) {
    const id = `${p.crc}:${p.bytes}:${p.parts}`
    records.set(id, [...(records.get(id) ?? []), p])
  }
  const complete: Part[][] = []
  for (const parts of records.values()) {
    const n = parts[0]!.parts
    const byIndex = new Map<number, string>()
    let clash = false
    for (const p of parts) {
      const seen = byIndex.get(p.part)
      if (seen !== undefined && seen !== p.payload) clash = true
      byIndex.set(p.part, p.payload)
    }
    if (clash) return fail('ambiguous', 'the state record has two different copies of one part')
    if (n >= 1 && byIndex.size === n && [...byIndex.keys()].every((i) => i >= 1 && i <= n)) {
      complete.push(Array.from({ length: n }, (_, i) => ({ ...parts[0]!, part: i + 1, payload: byIndex.get(i + 1)! })))
    }
  }
  if (complete.length > 1) return fail('ambiguous', `the issue holds ${complete.length} different state records`)
  if (complete.length === 0) {
    const [p] = found
    const have = new Set(found.filter((f) => f.crc === p!.crc).map((f) => f.part))
    return fail('incomplete', `the state record is incomplete: ${have.size} of its ${p!.parts} parts were found`)
  }

  const [record] = complete
  const { bytes, crc } = record![0]!
  const packed = fromText(record!.map((p) => p.payload).join(''), bytes)
  if (typeof packed === 'string') return fail('corrupt', packed)
  if (crc32(packed).toString(16).padStart(8, '0') !== crc) return fail('corrupt', 'the state record was changed: its checksum does not match')
  try {
    const raw = inflateRawSync(packed, { maxOutputLength: MAX_INFLATED })
    return { ok: true, state: unpack(new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength)) }
  } catch (err) {
    return fail('corrupt', `the state record cannot be read: ${err instanceof Error ? err.message : String(err)}`)
  }
}
