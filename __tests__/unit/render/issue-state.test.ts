import { describe, expect, it } from '@jest/globals'
import { deflateRawSync } from 'node:zlib'
import {
  STATE_FORMAT_VERSION,
  STATE_MAX_CHARS,
  crc32,
  decodeState,
  encodeState,
  stateAlphabet
} from '../../../src/render/issue-state.js'
import { keyIdentity, type Baseline, type BaselineKey } from '../../../src/core/lifecycle.js'
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

const DAY_MS = 86_400_000
/** ISO in whole seconds, as core writes createdAt. */
const isoSeconds = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z')

/** Distinct random user names of 20–64 characters. */
function randomNames(count: number, r: (n: number) => number): string[] {
  const names = new Set<string>()
  while (names.size < count) names.add(Array.from({ length: 20 + r(45) }, () => NAME_CHARS[r(NAME_CHARS.length)]).join(''))
  return [...names]
}

const TEAMS = ['billing', 'payments', 'search', 'etl', 'deploy', 'ci', 'backup', 'terraform', 'analytics', 'auth', 'mailer', 'reports']
const FIRST = ['anna', 'ben', 'carla', 'david', 'elena', 'felix', 'grace', 'hugo', 'irene', 'jonas', 'karin', 'lukas', 'maria', 'nils', 'olga', 'paul']
const LAST = ['smith', 'mueller', 'garcia', 'rossi', 'martin', 'kowalski', 'novak', 'jensen', 'silva', 'dubois', 'tanaka', 'kim', 'nguyen', 'schmidt']

/** Distinct user names the way organizations name them: `svc-billing-0042` (3 in 5), `firstname.lastname` (2 in 5, a digit when taken). */
function realisticNames(count: number, r: (n: number) => number): string[] {
  const names = new Set<string>()
  while (names.size < count) {
    if (r(5) < 3) {
      names.add(`svc-${TEAMS[r(TEAMS.length)]}-${String(r(10_000)).padStart(4, '0')}`)
    } else {
      const name = `${FIRST[r(FIRST.length)]}.${LAST[r(LAST.length)]}`
      names.add(names.has(name) ? `${name}${r(100)}` : name)
    }
  }
  return [...names]
}

/**
 * `count` keys with distinct random AKIA ids, one a user, created at random seconds over three
 * years (2022–2024) and first seen up to 900 days later; one in ten deactivated by the action.
 */
function manyKeys(count: number, seed = 42, names: (count: number, r: (n: number) => number) => string[] = randomNames): BaselineKey[] {
  const r = rng(seed)
  const ids = new Set<string>()
  while (ids.size < count) ids.add('AKIA' + Array.from({ length: 16 }, () => B32[r(32)]).join(''))
  const userNames = names(count, r)
  return [...ids].map((accessKeyId, i) => {
    const created = Date.UTC(2022, 0, 1) + r(3 * 365 * 86_400) * 1000
    return {
      accessKeyId,
      createdAt: isoSeconds(created),
      userName: userNames[i]!,
      kind: FINDING_KINDS[r(FINDING_KINDS.length)]!,
      firstSeenAt: isoSeconds(created + r(900) * DAY_MS).slice(0, 10),
      ...(r(10) === 0 ? { deactivatedByAction: '2026-07-01' } : {})
    }
  })
}

const KEYS: BaselineKey[] = [
  { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', createdAt: '2025-11-30T08:15:42Z', userName: 'old-alice', kind: 'stale', firstSeenAt: '2026-03-01' },
  {
    accessKeyId: 'AKIA1234567890ABWXYZ',
    createdAt: '2000-01-01T00:00:00Z',
    userName: 'bob',
    kind: 'unused',
    firstSeenAt: '2026-04-15',
    deactivatedByAction: '2026-05-02',
    deactivatedBy: 'sec-lead'
  },
  { accessKeyId: 'ASIAABCDEFGHIJKLMNOP', userName: 'bob', kind: 'expiring', firstSeenAt: '2000-01-01' },
  { accessKeyId: 'AKIAZZZZZZZZZZZZ7777', createdAt: '2136-02-07T06:28:15Z', userName: '<root_account>', kind: 'root-key', firstSeenAt: '2179-06-06' },
  { accessKeyId: null, createdAt: '2024-01-01T00:00:00Z', userName: '<root_account>', kind: 'root-key', firstSeenAt: '2024-04-01' }
]
const STATE: Baseline = { accountId: ACCOUNT, keys: KEYS }

/** The keys in the order the record keeps them: by user name, then keyIdentity. */
const sorted = (keys: BaselineKey[]) => {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
  return [...keys].sort((a, b) => cmp(a.userName, b.userName) || cmp(keyIdentity(a), keyIdentity(b)))
}

function roundTrip(state: Baseline, maxChars?: number) {
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

  it('keeps who had a key deactivated, any login, with the day', () => {
    const keys: BaselineKey[] = ['sec-lead', 'a', 'Octo-Cat-9'].map((login, i) => ({
      accessKeyId: `AKIA${'B'.repeat(15)}${B32[i]}`,
      userName: `u${i}`,
      kind: 'inactive',
      firstSeenAt: '2026-11-01',
      deactivatedByAction: '2026-11-02',
      deactivatedBy: login
    }))
    roundTrip({ accountId: ACCOUNT, keys })
    // The day alone (written before the login was kept) reads as it was.
    roundTrip({ accountId: ACCOUNT, keys: keys.map(({ deactivatedBy: _, ...k }) => k) })
  })

  it('round-trips every finding kind', () => {
    roundTrip({
      accountId: ACCOUNT,
      keys: FINDING_KINDS.map((kind, i) => ({ accessKeyId: `AKIA${'A'.repeat(15)}${B32[i]}`, userName: `u${i}`, kind, firstSeenAt: '2026-01-01' }))
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
    // Measured: 132,584 characters in 3 parts (60,000 + 60,000 + 12,584); 122,445 without createdAt.
    // Random names cost ~6 bits a character whatever the packing (5,000 × 42 × 6 bits ≈ 84,000
    // characters of 15 bits); the key ids, kinds and days take ~30,000, createdAt ~10,000.
    expect(parts).toHaveLength(3)
    for (const [i, p] of parts.entries()) {
      expect(chars[i]).toBeLessThanOrEqual(STATE_MAX_CHARS)
      expect(p.length).toBe(chars[i]) // one UTF-16 unit a character: GitHub's count and JavaScript's agree
      expect(Buffer.byteLength(p)).toBeLessThanOrEqual(262_144) // GitHub's byte limit
    }
  })

  it('holds 5,000 keys of users named the way organizations name them in one part', () => {
    const keys = manyKeys(5000, 42, realisticNames)
    const parts = roundTrip({ accountId: ACCOUNT, keys })
    // Measured: 51,468 characters; 41,202 without createdAt. Its column costs ~10,000 characters, near
    // what random seconds over three years hold (5,000 × 26.5 bits ≈ 8,800 characters of 15 bits):
    // storing it as deltas from firstSeenAt or byte by byte saves too little to be worth a format.
    expect(keys.map((k) => k.userName)).toEqual(expect.arrayContaining(['svc-ci-0894', 'nils.rossi']))
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
    const state: Baseline = {
      accountId: ACCOUNT,
      keys: names.map((userName, i) => ({ accessKeyId: `AKIA${'B'.repeat(15)}${B32[i]}`, userName, kind: 'stale', firstSeenAt: '2026-02-02' }))
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
        { accessKeyId: 'AKIA0189ABCDEFGH0189', userName: 'u', kind: 'stale', firstSeenAt: '2026-01-01' },
        { accessKeyId: 'AKIAabc', userName: 'u', kind: 'stale', firstSeenAt: '2026-01-01' },
        { accessKeyId: 'X'.repeat(128), userName: 'u', kind: 'stale', firstSeenAt: '2026-01-01' }
      ]
    })
  })

  it('keeps root keys without an id, told apart by their creation time', () => {
    const root = (createdAt: string): BaselineKey => ({
      accessKeyId: null,
      createdAt,
      userName: '<root_account>',
      kind: 'root-key',
      firstSeenAt: '2024-06-02'
    })
    const keys: BaselineKey[] = [
      { ...KEYS[0]! },
      root('2024-06-01T12:00:00Z'),
      root('2019-03-04T05:06:07Z'),
      { accessKeyId: 'AKIAQQQQQQQQQQQQQQQQ', createdAt: '2023-01-01T00:00:00Z', userName: '<root_account>', kind: 'root-key', firstSeenAt: '2024-06-02' }
    ]
    const [part] = roundTrip({ accountId: ACCOUNT, keys })
    const decoded = decodeState([part!])
    // By user name, then keyIdentity.
    expect(decoded.ok && decoded.state.keys.map((k) => keyIdentity(k))).toEqual([
      '<root_account>@2019-03-04T05:06:07Z',
      '<root_account>@2024-06-01T12:00:00Z',
      'AKIAQQQQQQQQQQQQQQQQ',
      'AKIAIOSFODNN7EXAMPLE'
    ])
    expect(decoded.ok && decoded.state.keys.map((k) => k.accessKeyId)).toEqual([null, null, 'AKIAQQQQQQQQQQQQQQQQ', 'AKIAIOSFODNN7EXAMPLE'])
  })

  it('round-trips createdAt in whole seconds, from 2000-01-01 to 2136', () => {
    const times = ['2000-01-01T00:00:00Z', '2024-02-29T23:59:59Z', '2024-01-01T00:00:00Z', '2099-12-31T12:34:56Z', '2136-02-07T06:28:15Z']
    const keys = times.map(
      (createdAt, i): BaselineKey => ({ accessKeyId: `AKIA${'C'.repeat(15)}${B32[i]}`, createdAt, userName: 'u', kind: 'stale', firstSeenAt: '2026-01-01' })
    )
    const [part] = roundTrip({ accountId: ACCOUNT, keys })
    const decoded = decodeState([part!])
    expect(decoded.ok && decoded.state.keys.map((k) => k.createdAt)).toEqual(times)
  })

  it('keeps a key written without createdAt without one (a flag, no value)', () => {
    const without: BaselineKey = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', userName: 'u', kind: 'unused', firstSeenAt: '2026-01-01' }
    const withIt: BaselineKey = { ...without, accessKeyId: 'AKIAIOSFODNN7EXAMPLF', createdAt: '2025-01-01T00:00:00Z' }
    const [part] = roundTrip({ accountId: ACCOUNT, keys: [without, withIt] })
    const decoded = decodeState([part!])
    expect(decoded.ok && decoded.state.keys.map((k) => 'createdAt' in k)).toEqual([false, true])
    // No value in its column: the record of a key without createdAt is smaller.
    const bytes = (keys: BaselineKey[]) => Number(/bytes=(\d+)/.exec(encodeState({ accountId: ACCOUNT, keys })[0]!)![1])
    expect(bytes([without])).toBeLessThan(bytes([{ ...without, createdAt: '2025-01-01T00:00:00Z' }]))
  })

  it('refuses two keys of one identity, and a key with neither an id nor a creation time', () => {
    const key = KEYS[0]!
    const root = KEYS[4]!
    expect(() => encodeState({ accountId: ACCOUNT, keys: [key, { ...key }] })).toThrow(/AKIAIOSFODNN7EXAMPLE twice/)
    // The same id is the same key, whatever else differs.
    expect(() => encodeState({ accountId: ACCOUNT, keys: [key, { ...key, createdAt: '2020-01-01T00:00:00Z', userName: 'other' }] })).toThrow(/twice/)
    expect(() => encodeState({ accountId: ACCOUNT, keys: [root, { ...root, firstSeenAt: '2025-01-01' }] })).toThrow(
      /<root_account>@2024-01-01T00:00:00Z twice/
    )
    expect(() => encodeState({ accountId: ACCOUNT, keys: [root, { ...root, createdAt: '2024-01-01T00:00:01Z' }] })).not.toThrow()
    const noTime: BaselineKey = { accessKeyId: null, userName: '<root_account>', kind: 'root-key', firstSeenAt: '2024-01-01' }
    expect(() => encodeState({ accountId: ACCOUNT, keys: [noTime] })).toThrow(RangeError)
    expect(() => encodeState({ accountId: ACCOUNT, keys: [noTime] })).toThrow(/neither an access key id nor a creation time/)
  })

  it('refuses a state it cannot write', () => {
    const key = KEYS[0]!
    expect(() => encodeState({ accountId: ACCOUNT, keys: [{ ...key, firstSeenAt: '2026-02-30' }] })).toThrow(/YYYY-MM-DD/)
    expect(() => encodeState({ accountId: ACCOUNT, keys: [{ ...key, firstSeenAt: '1999-12-31' }] })).toThrow(/YYYY-MM-DD/)
    expect(() => encodeState({ accountId: ACCOUNT, keys: [{ ...key, deactivatedByAction: 'yesterday' }] })).toThrow(/YYYY-MM-DD/)
    expect(() => encodeState({ accountId: ACCOUNT, keys: [{ ...key, kind: 'new-kind' as never }] })).toThrow(/kind/)
    expect(() => encodeState(STATE, { maxChars: 50 })).toThrow(/too small/)
    for (const createdAt of [
      '2024-01-01T00:00:00.123Z',
      '2024-01-01T00:00:00.000Z',
      '2024-01-01T00:00:00+00:00',
      '2024-01-01',
      '2024-02-30T00:00:00Z',
      '2024-01-01T24:00:00Z',
      'yesterday',
      '',
      '1999-12-31T23:59:59Z',
      '2136-02-07T06:28:16Z'
    ]) {
      expect(() => encodeState({ accountId: ACCOUNT, keys: [{ ...key, createdAt }] })).toThrow(RangeError)
      expect(() => encodeState({ accountId: ACCOUNT, keys: [{ ...key, createdAt }] })).toThrow(/createdAt of AKIAIOSFODNN7EXAMPLE .*whole seconds/)
    }
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
    // Account "1", user "u", one key: id form and body, kind, first seen 2000-01-02, flags, then created.
    const oneKey = (kind: number, flags: number, created: number[] = [], id = [2, 1, 0x41]) => [
      ...[1, 0x31, 1, 1, 0x75, 1, 0],
      ...id,
      ...[kind, 1, 0, flags],
      ...created
    ]
    expect(decodeState([forged(oneKey(1, 2))])).toEqual({
      ok: true,
      state: { accountId: '1', keys: [{ accessKeyId: 'A', userName: 'u', kind: 'stale', firstSeenAt: '2000-01-02' }] }
    })
    expect(decodeState([forged(oneKey(1, 0, [1, 1, 0, 0]))])).toMatchObject({ ok: true, state: { keys: [{ accessKeyId: 'A', createdAt: '2000-01-01T00:04:17Z' }] } })
    expect(decodeState([forged(oneKey(1, 0, [0xff, 0xff, 0xff, 0xff], [3]))])).toMatchObject({
      ok: true,
      state: { keys: [{ accessKeyId: null, createdAt: '2136-02-07T06:28:15Z' }] }
    })
    expect(decodeState([forged(oneKey(9, 2))])).toMatchObject({ ok: false, reason: 'corrupt', error: expect.stringMatching(/kind/) })
    expect(decodeState([forged(oneKey(1, 8))])).toMatchObject({ ok: false, reason: 'corrupt', error: expect.stringMatching(/field/) })
    expect(decodeState([forged(oneKey(1, 2, [], [4]))])).toMatchObject({ ok: false, reason: 'corrupt', error: expect.stringMatching(/id form/) })
    expect(decodeState([forged(oneKey(1, 2, [], [3]))])).toMatchObject({ ok: false, reason: 'corrupt', error: expect.stringMatching(/neither an id nor a creation time/) })
    expect(decodeState([forged(oneKey(1, 2).slice(0, -1))])).toMatchObject({ ok: false, reason: 'corrupt', error: expect.stringMatching(/ends too early/) })
    expect(decodeState([forged(oneKey(1, 0, [1, 1, 0]))])).toMatchObject({ ok: false, reason: 'corrupt', error: expect.stringMatching(/ends too early/) })
    expect(decodeState([forged([...oneKey(1, 2), 0])])).toMatchObject({ ok: false, reason: 'corrupt', error: expect.stringMatching(/too many/) })
    // Two keys of one id: user deltas, forms, bodies "A" "A", kinds, first seen, flags.
    const twice = [1, 0x31, 1, 1, 0x75, 2, 0, 0, 2, 2, 1, 0x41, 1, 0x41, 1, 1, 1, 0, 1, 0, 2, 2]
    expect(decodeState([forged(twice)])).toMatchObject({ ok: false, reason: 'corrupt', error: expect.stringMatching(/A twice/) })
    expect(decodeState([forged([1, 0x31, 0xff, 0xff, 0x7f])])).toMatchObject({ ok: false, reason: 'corrupt' })
  })
})

describe('crc32', () => {
  it('is the IEEE CRC-32', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926)
    expect(crc32(new Uint8Array())).toBe(0)
  })
})
