import { describe, expect, it } from '@jest/globals'
import { deflateRawSync } from 'node:zlib'
import {
  STATE_FORMAT_VERSION,
  STATE_MAX_CHARS,
  crc32,
  decodeState,
  encodeState,
  stateAlphabet,
  type IssueState,
  type StateKey
} from '../../../src/render/issue-state.js'
import { FINDING_KINDS } from '../../../src/core/model.js'
import { issueMarker } from '../../../src/render/issue-body.js'
import { html, visibleText } from './hostile.js'

const ACCOUNT = '123456789012'
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
/** Characters IAM allows in a user name. */
const NAME_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+=,.@_-'

/** A deterministic generator, so that a size measured here is the same on every run. */
function rng(seed: number) {
  let s = seed >>> 0
  return (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return Math.floor((s / 2 ** 32) * n)
  }
}

/** `count` keys with distinct random AKIA ids and distinct random user names of 20–64 characters. */
function manyKeys(count: number, seed = 42): StateKey[] {
  const r = rng(seed)
  const ids = new Set<string>()
  while (ids.size < count) ids.add('AKIA' + Array.from({ length: 16 }, () => B32[r(32)]).join(''))
  const names = new Set<string>()
  while (names.size < count) names.add(Array.from({ length: 20 + r(45) }, () => NAME_CHARS[r(NAME_CHARS.length)]).join(''))
  const userNames = [...names]
  return [...ids].map((accessKeyId, i) => ({
    accessKeyId,
    userName: userNames[i]!,
    kind: FINDING_KINDS[r(FINDING_KINDS.length)]!,
    firstSeen: new Date(Date.UTC(2024, 0, 1) + r(900) * 86_400_000).toISOString().slice(0, 10),
    ...(r(10) === 0 ? { deactivatedByAction: '2026-07-01' } : {})
  }))
}

const KEYS: StateKey[] = [
  { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', userName: 'old-alice', kind: 'stale', firstSeen: '2026-03-01' },
  { accessKeyId: 'AKIA1234567890ABWXYZ', userName: 'bob', kind: 'unused', firstSeen: '2026-04-15', deactivatedByAction: '2026-05-02' },
  { accessKeyId: 'ASIAABCDEFGHIJKLMNOP', userName: 'bob', kind: 'expiring', firstSeen: '2000-01-01' },
  { accessKeyId: 'AKIAZZZZZZZZZZZZ7777', userName: '<root>', kind: 'root-key', firstSeen: '2179-06-06' }
]
const STATE: IssueState = { accountId: ACCOUNT, keys: KEYS }

/** The keys in the order the record keeps them: by user name, then key id. */
const sorted = (keys: StateKey[]) =>
  [...keys].sort((a, b) =>
    a.userName < b.userName ? -1 : a.userName > b.userName ? 1 : a.accessKeyId < b.accessKeyId ? -1 : a.accessKeyId > b.accessKeyId ? 1 : 0
  )

function roundTrip(state: IssueState, maxChars?: number) {
  const parts = encodeState(state, maxChars === undefined ? {} : { maxChars })
  const decoded = decodeState(parts)
  expect(decoded).toEqual({ ok: true, state: { accountId: state.accountId, keys: sorted(state.keys) } })
  return parts
}

/** Replace the character at `index` of the record's payload with another of its alphabet. */
function corrupt(part: string, index: number): string {
  const at = part.lastIndexOf(' -->') - 1 - index
  const c = part.charCodeAt(at)
  return part.slice(0, at) + String.fromCharCode(c === 0x4e00 ? 0x4e01 : c - 1) + part.slice(at + 1)
}

describe('encodeState and decodeState', () => {
  it('round-trips an empty record, one key, and keys of every form', () => {
    expect(roundTrip({ accountId: ACCOUNT, keys: [] })).toHaveLength(1)
    roundTrip({ accountId: ACCOUNT, keys: [KEYS[0]!] })
    roundTrip(STATE)
  })

  it('round-trips every finding kind', () => {
    roundTrip({
      accountId: ACCOUNT,
      keys: FINDING_KINDS.map((kind, i) => ({ accessKeyId: `AKIA${'A'.repeat(15)}${B32[i]}`, userName: `u${i}`, kind, firstSeen: '2026-01-01' }))
    })
  })

  it('writes one hidden comment a part, on one line, with version, part, length and checksum', () => {
    const [part] = encodeState(STATE)
    expect(part).toMatch(new RegExp(`^<!-- iam-key-sentry:state v${STATE_FORMAT_VERSION} part=1/1 bytes=\\d+ crc=[0-9a-f]{8} \\S+ -->$`))
    expect(part).not.toMatch(/[\r\n\u2028\u2029]/)
  })

  it('holds 5,000 keys with distinct random user names of 20–64 characters in parts of at most maxChars', () => {
    const keys = manyKeys(5000)
    const parts = roundTrip({ accountId: ACCOUNT, keys })
    const chars = parts.map((p) => [...p].length)
    // Measured: 122,242 characters in 3 parts (60,000 + 60,000 + 2,242). Random names cost ~6 bits a
    // character whatever the packing (5,000 × 42 × 6 bits ≈ 84,000 characters of 15 bits); the key ids,
    // kinds and days take ~30,000.
    expect(parts).toHaveLength(3)
    for (const [i, p] of parts.entries()) {
      expect(chars[i]).toBeLessThanOrEqual(STATE_MAX_CHARS)
      expect(p.length).toBe(chars[i]) // one UTF-16 unit a character: GitHub's count and JavaScript's agree
      expect(Buffer.byteLength(p)).toBeLessThanOrEqual(262_144) // GitHub's byte limit
    }
  })

  it('holds 5,000 keys of users named the way organizations name them in one part', () => {
    const envs = ['prod', 'staging', 'dev']
    const roles = ['deploy', 'ci', 'etl', 'backup', 'terraform']
    const keys = manyKeys(5000).map((k, i) => ({ ...k, userName: `svc-${roles[i % 5]}-${envs[i % 3]}-${String(i).padStart(4, '0')}` }))
    const parts = roundTrip({ accountId: ACCOUNT, keys })
    // Measured: 40,312 characters (base64 of the same bytes would need 100,780: two parts).
    expect(parts).toHaveLength(1)
    expect(parts[0]!.length).toBeLessThanOrEqual(STATE_MAX_CHARS)
  })

  it('splits into as many parts as maxChars asks, each within it, found in any order', () => {
    const keys = manyKeys(300)
    const parts = roundTrip({ accountId: ACCOUNT, keys }, 2_000)
    expect(parts.length).toBeGreaterThan(2)
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(2_000)
    expect(parts[0]).toContain(`part=1/${parts.length} `)
    expect(decodeState([...parts].reverse())).toMatchObject({ ok: true })
  })

  it('keeps user names with any Unicode, commas and comment ends inside the packed record', () => {
    const names = ['a,b', 'evil --> <!-- x', 'naïve-ユーザー-😀', '@torvalds #7', 'line\nbreak', '\u2028', '']
    const state: IssueState = {
      accountId: ACCOUNT,
      keys: names.map((userName, i) => ({ accessKeyId: `AKIA${'B'.repeat(15)}${B32[i]}`, userName, kind: 'stale', firstSeen: '2026-02-02' }))
    }
    const [part] = roundTrip(state)
    expect(part!.match(/-->/g)).toHaveLength(1)
    expect(part!.match(/<!--/g)).toHaveLength(1)
    expect(part).not.toMatch(/[\r\n\u2028\u2029@#]/)
  })

  it('keeps key ids it cannot pack as they are (moto makes them from A-Z and 0-9)', () => {
    roundTrip({
      accountId: 'odd account <x>',
      keys: [
        { accessKeyId: 'AKIA0189ABCDEFGH0189', userName: 'u', kind: 'stale', firstSeen: '2026-01-01' },
        { accessKeyId: 'AKIAabc', userName: 'u', kind: 'stale', firstSeen: '2026-01-01' },
        { accessKeyId: 'X'.repeat(128), userName: 'u', kind: 'stale', firstSeen: '2026-01-01' }
      ]
    })
  })

  it('refuses a state it cannot write', () => {
    const key = KEYS[0]!
    expect(() => encodeState({ accountId: ACCOUNT, keys: [key, { ...key }] })).toThrow(/twice/)
    expect(() => encodeState({ accountId: ACCOUNT, keys: [{ ...key, firstSeen: '2026-02-30' }] })).toThrow(/YYYY-MM-DD/)
    expect(() => encodeState({ accountId: ACCOUNT, keys: [{ ...key, firstSeen: '1999-12-31' }] })).toThrow(/YYYY-MM-DD/)
    expect(() => encodeState({ accountId: ACCOUNT, keys: [{ ...key, deactivatedByAction: 'yesterday' }] })).toThrow(/YYYY-MM-DD/)
    expect(() => encodeState({ accountId: ACCOUNT, keys: [{ ...key, kind: 'new-kind' as never }] })).toThrow(/kind/)
    expect(() => encodeState(STATE, { maxChars: 50 })).toThrow(/too small/)
  })
})

describe('the record among text people edit', () => {
  const body = (record: string) =>
    `${issueMarker(ACCOUNT)}\n## IAM access keys to fix\n\n${record}\n\n| Kind | User |\n|---|---|\n| stale | old-alice |\n`

  it('is found whatever people write before and after it, and whatever they delete around it', () => {
    const [record] = encodeState(STATE)
    const expected = { ok: true, state: { accountId: ACCOUNT, keys: sorted(KEYS) } }
    const edited = [
      body(record!),
      `Rotated alice's key, thanks! --> done\n\n${body(record!)}\n\n<!-- a person's own comment -->\n> quote`,
      `${body(record!).replace('## IAM access keys to fix', '# Edited title\r\n\r\nNotes')}`,
      `text right before${record}text right after`,
      `> quoted reply:\n> ${record}\n\n${record}`,
      body(record!).replace(/\n/g, '\r\n')
    ]
    for (const text of edited) expect(decodeState([text])).toEqual(expected)
  })

  it('is found in parts spread over the body and comments, among other texts', () => {
    const parts = encodeState({ accountId: ACCOUNT, keys: manyKeys(200) }, { maxChars: 1_000 })
    const texts = ['A comment by a person.', body(parts[0]!), ...parts.slice(1).map((p) => `${p}\n_kept by IAM Key Sentry_`)]
    expect(decodeState(texts)).toMatchObject({ ok: true })
  })

  it('survives a line break a person or an editor puts into it', () => {
    const [record] = encodeState(STATE)
    const split = record!.replace(/(crc=[0-9a-f]{8} )(.{3})/, '$1\n$2\n')
    expect(decodeState([split])).toMatchObject({ ok: true })
  })

  it('renders as nothing: marked (gfm) keeps each part a whole comment, where it stands', () => {
    const parts = encodeState({ accountId: ACCOUNT, keys: manyKeys(300) }, { maxChars: 2_000 })
    for (const [i, text] of [
      body(parts[0]!),
      `${parts[1]}\n\nvisible after`,
      `visible before ${parts[2]} visible after`,
      `- item\n\n${parts.slice(3).join('\n\n')}`
    ].entries()) {
      const rendered = html(text)
      const seen = visibleText(rendered.replace(/<!--[\s\S]*?-->/g, ''))
      expect(seen).not.toMatch(/iam-key-sentry|part=|crc=/)
      expect(seen).not.toMatch(/[\u3400-\u9fff\uac00-\ud7a3]/)
      if (i > 0) expect(rendered).toContain(i === 3 ? parts[3]! : parts[i]!)
    }
  })

  it('uses 32,768 distinct letters of the BMP that normalization and Markdown leave alone', () => {
    const alphabet = stateAlphabet()
    expect(new Set(alphabet).size).toBe(32_768)
    const all = alphabet.join('')
    expect(all).toHaveLength(32_768) // each one UTF-16 unit: no surrogates
    expect(all).toMatch(/^\p{Lo}+$/u) // assigned letters: no white space, control, `-`, `>` or noncharacter
    expect(all.normalize('NFC')).toBe(all)
    expect(all.normalize('NFKC')).toBe(all)
  })
})

describe('an unreadable record is an error, never an empty state', () => {
  const big = () => encodeState({ accountId: ACCOUNT, keys: manyKeys(300) }, { maxChars: 2_000 })

  it('reports no record as missing', () => {
    expect(decodeState([])).toMatchObject({ ok: false, reason: 'missing' })
    expect(decodeState([`${issueMarker(ACCOUNT)}\nA v1 issue body`, 'a comment'])).toMatchObject({ ok: false, reason: 'missing' })
  })

  it('reports a changed character', () => {
    const [record] = encodeState(STATE)
    // The last character also carries the padding bits: changing only those is caught too.
    expect(decodeState([corrupt(record!, 0)])).toMatchObject({ ok: false, reason: 'corrupt' })
    for (const at of [1, 3, 10]) {
      expect(decodeState([corrupt(record!, at)])).toMatchObject({ ok: false, reason: 'corrupt', error: expect.stringMatching(/checksum/) })
    }
    const parts = big()
    expect(decodeState(parts.map((p, i) => (i === 1 ? corrupt(p, 100) : p)))).toMatchObject({ ok: false, reason: 'corrupt' })
  })

  it('reports a character outside its alphabet, a deleted character, and a changed length', () => {
    const [record] = encodeState(STATE)
    const payloadEnd = record!.lastIndexOf(' -->')
    expect(decodeState([record!.slice(0, payloadEnd - 1) + 'x' + record!.slice(payloadEnd)])).toMatchObject({ ok: false, reason: 'corrupt' })
    expect(decodeState([record!.slice(0, payloadEnd - 1) + record!.slice(payloadEnd)])).toMatchObject({ ok: false, reason: 'corrupt' })
    expect(decodeState([record!.replace(/bytes=(\d+)/, (_, n: string) => `bytes=${Number(n) + 2}`)])).toMatchObject({ ok: false })
  })

  it('reports a bad checksum', () => {
    const [record] = encodeState(STATE)
    const crc = /crc=([0-9a-f]{8})/.exec(record!)![1]!
    const other = ((parseInt(crc, 16) ^ 1) >>> 0).toString(16).padStart(8, '0')
    expect(decodeState([record!.replace(`crc=${crc}`, `crc=${other}`)])).toMatchObject({ ok: false, reason: 'corrupt', error: expect.stringMatching(/checksum/) })
  })

  it('reports a missing part, and parts of two different records', () => {
    const parts = big()
    expect(parts.length).toBeGreaterThan(2)
    expect(decodeState(parts.slice(1))).toMatchObject({ ok: false, reason: 'incomplete', error: expect.stringMatching(/of its \d+ parts/) })
    expect(decodeState(parts.slice(0, -1))).toMatchObject({ ok: false, reason: 'incomplete' })
    // A part written by the next run next to the rest of the last run's record: neither is whole.
    const next = encodeState({ accountId: ACCOUNT, keys: manyKeys(300, 7) }, { maxChars: 2_000 })
    expect(decodeState([next[0]!, ...parts.slice(1)])).toMatchObject({ ok: false, reason: 'incomplete' })
    expect(decodeState([...parts, ...next])).toMatchObject({ ok: false, reason: 'ambiguous' })
    expect(decodeState([...parts, parts[0]!])).toMatchObject({ ok: true }) // the same part quoted twice
  })

  it('reports a record of another version', () => {
    const [record] = encodeState(STATE)
    expect(decodeState([record!.replace(' v1 ', ' v2 ')])).toMatchObject({ ok: false, reason: 'version', error: expect.stringMatching(/v2/) })
    expect(decodeState([record!.replace(' v1 ', ' v0 ')])).toMatchObject({ ok: false, reason: 'version' })
  })

  it('reports a header a person changed', () => {
    const [record] = encodeState(STATE)
    expect(decodeState([record!.replace('part=1/1', 'part one')])).toMatchObject({ ok: false, reason: 'corrupt' })
    expect(decodeState([record!.replace('part=1/1', 'part=2/2')])).toMatchObject({ ok: false, reason: 'incomplete' })
  })

  it('reports a whole, well-checksummed record whose content this version cannot read', () => {
    const forged = (raw: number[]) => {
      const packed = deflateRawSync(Uint8Array.from(raw))
      const crc = crc32(packed).toString(16).padStart(8, '0')
      // The same text encoding as encodeState, through a record that holds these bytes.
      let acc = 0
      let bits = 0
      let text = ''
      const ch = (v: number) => String.fromCharCode(v < 20_992 ? 0x4e00 + v : v < 27_584 ? 0x3400 + v - 20_992 : 0xac00 + v - 27_584)
      for (const b of packed) {
        acc = (acc << 8) | b
        bits += 8
        if (bits >= 15) {
          bits -= 15
          text += ch((acc >>> bits) & 0x7fff)
          acc &= (1 << bits) - 1
        }
      }
      if (bits > 0) text += ch((acc << (15 - bits)) & 0x7fff)
      return `<!-- iam-key-sentry:state v1 part=1/1 bytes=${packed.length} crc=${crc} ${text} -->`
    }
    // Sanity: an empty record of account "1", hand-packed, reads.
    expect(decodeState([forged([1, 0x31, 0, 0])])).toEqual({ ok: true, state: { accountId: '1', keys: [] } })
    const oneKey = (kind: number, flags: number) => [1, 0x31, 1, 1, 0x75, 1, 0, 2, 1, 0x41, kind, 1, 0, flags]
    expect(decodeState([forged(oneKey(1, 0))])).toMatchObject({ ok: true, state: { keys: [{ accessKeyId: 'A', userName: 'u', kind: 'stale', firstSeen: '2000-01-02' }] } })
    expect(decodeState([forged(oneKey(9, 0))])).toMatchObject({ ok: false, reason: 'corrupt', error: expect.stringMatching(/kind/) })
    expect(decodeState([forged(oneKey(1, 2))])).toMatchObject({ ok: false, reason: 'corrupt', error: expect.stringMatching(/field/) })
    expect(decodeState([forged(oneKey(1, 0).slice(0, -1))])).toMatchObject({ ok: false, reason: 'corrupt', error: expect.stringMatching(/ends too early/) })
    expect(decodeState([forged([...oneKey(1, 0), 0])])).toMatchObject({ ok: false, reason: 'corrupt', error: expect.stringMatching(/too many/) })
    expect(decodeState([forged([1, 0x31, 0xff, 0xff, 0x7f])])).toMatchObject({ ok: false, reason: 'corrupt' })
  })
})

describe('crc32', () => {
  it('is the IEEE CRC-32', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926)
    expect(crc32(new Uint8Array())).toBe(0)
  })
})
