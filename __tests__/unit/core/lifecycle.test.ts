import { describe, expect, it } from '@jest/globals'
import {
  RESOLVED_HOWS,
  baselinesFromReport,
  baselinesFromReportText,
  diffAccount,
  keyIdentity,
  lookupsFromInventory,
  medianDaysOpen,
  newCount,
  overdueDays,
  resolvedCount,
  utcDayOf,
  type AccountDiff,
  type Baseline,
  type BaselineKey,
  type InventoryKey,
  type KeyLookup,
  type ResolvedKey
} from '../../../src/core/lifecycle.js'
import type { Finding } from '../../../src/core/model.js'
import { buildReport } from '../../../src/core/report.js'
import { ACCOUNT, DEFAULT_POLICY, NOW, OTHER_ACCOUNT, accountScan, finding, keyId, makeReport } from '../helpers.js'

// NOW is 2026-11-24T12:00:00Z.
const TODAY = '2026-11-24'
/** The creation time of finding()'s key unless told. */
const CREATED = '2026-05-01T00:00:00Z'

function key(overrides: Partial<BaselineKey> = {}): BaselineKey {
  return { accessKeyId: keyId(1), createdAt: CREATED, userName: 'alice', kind: 'stale', firstSeenAt: '2026-11-01', ...overrides }
}

/** A baseline key from a record written without creation times. */
function keyWithoutCreatedAt(overrides: Partial<BaselineKey> = {}): BaselineKey {
  const k = key(overrides)
  delete k.createdAt
  return k
}

function baseline(...keys: BaselineKey[]): Baseline {
  return { accountId: ACCOUNT, keys }
}

function diff(
  base: Baseline | null,
  findings: Finding[],
  lookups: Record<string, KeyLookup> = {},
  now: Date = NOW
): AccountDiff {
  return diffAccount(base, { accountId: ACCOUNT, findings, lookups: new Map(Object.entries(lookups)) }, now, DEFAULT_POLICY)
}

function onlyResolved(d: AccountDiff): ResolvedKey {
  expect(d.resolved).toHaveLength(1)
  return d.resolved![0]
}

describe('diffAccount: today against the baseline', () => {
  it('marks a key not in the baseline new, first seen today', () => {
    const d = diff(baseline(), [finding({ accessKeyId: keyId(2), userName: 'bob', ageDays: 90 })])
    expect(d.findings[0]).toMatchObject({ new: true, firstSeenAt: TODAY, overdueDays: 0 })
    expect(d.resolved).toEqual([])
    expect(newCount(d)).toBe(1)
    expect(resolvedCount(d)).toBe(0)
    expect(d.nextBaseline).toEqual({
      accountId: ACCOUNT,
      keys: [{ accessKeyId: keyId(2), createdAt: CREATED, userName: 'bob', kind: 'stale', firstSeenAt: TODAY }]
    })
  })

  it('keeps every key’s creation time in the next baseline, from today’s finding, also for a record without it', () => {
    const d = diff(baseline(keyWithoutCreatedAt()), [finding({ accessKeyId: keyId(1), createdAt: '2026-02-03T04:05:06Z' })])
    expect(d.nextBaseline.keys).toEqual([
      { accessKeyId: keyId(1), createdAt: '2026-02-03T04:05:06Z', userName: 'alice', kind: 'stale', firstSeenAt: '2026-11-01' }
    ])
  })

  it('keeps the first-seen day of a key still counted, and it is not new', () => {
    const d = diff(baseline(key({ firstSeenAt: '2026-10-02' })), [finding({ accessKeyId: keyId(1), ageDays: 120 })])
    expect(d.findings[0]).toMatchObject({ new: false, firstSeenAt: '2026-10-02', overdueDays: 30 })
    expect(d.resolved).toEqual([])
    expect(newCount(d)).toBe(0)
    expect(d.nextBaseline.keys).toEqual([key({ firstSeenAt: '2026-10-02' })])
  })

  it('carries the remediation mark of a kept key into the next baseline', () => {
    const d = diff(baseline(key({ deactivatedByAction: '2026-11-20' })), [finding({ accessKeyId: keyId(1), kind: 'inactive' })])
    expect(d.nextBaseline.keys).toEqual([
      {
        accessKeyId: keyId(1),
        createdAt: CREATED,
        userName: 'alice',
        kind: 'inactive',
        firstSeenAt: '2026-11-01',
        deactivatedByAction: '2026-11-20'
      }
    ])
  })

  it('resolves a stale key deactivated since, how deactivated; it stays as the inactive key to delete, first seen kept', () => {
    const d = diff(baseline(key()), [finding({ accessKeyId: keyId(1), kind: 'inactive', status: 'Inactive' })])
    expect(d.findings[0]).toMatchObject({ new: false, firstSeenAt: '2026-11-01', overdueDays: null })
    expect(d.resolved).toEqual([expect.objectContaining({ accessKeyId: keyId(1), kind: 'stale', how: 'deactivated', firstSeenAt: '2026-11-01' })])
    expect(d.unexplained).toEqual([])
    expect(d.kindChanges).toEqual([{ accessKeyId: keyId(1), createdAt: CREATED, userName: 'alice', from: 'stale', to: 'inactive' }])
    expect(d.nextBaseline.keys[0]).toMatchObject({ kind: 'inactive', firstSeenAt: '2026-11-01' })
    // The next run: an inactive key that stays inactive is not resolved again.
    const again = diff(d.nextBaseline, [finding({ accessKeyId: keyId(1), kind: 'inactive', status: 'Inactive' })])
    expect(again.resolved).toEqual([])
  })

  it('returns copies in the same order and leaves the input findings alone', () => {
    const input = [finding({ accessKeyId: keyId(3), kind: 'root-key' }), finding({ accessKeyId: keyId(2) })]
    const before = structuredClone(input)
    const d = diff(baseline(), input)
    expect(input).toEqual(before)
    expect(d.findings.map((f) => f.accessKeyId)).toEqual([keyId(3), keyId(2)])
    expect(d.findings[0]).not.toBe(input[0])
  })

  it('sorts the next baseline by key, whatever order the findings came in', () => {
    const d = diff(null, [finding({ accessKeyId: keyId(9) }), finding({ accessKeyId: keyId(4) })])
    expect(d.nextBaseline.keys.map((k) => k.accessKeyId)).toEqual([keyId(4), keyId(9)])
  })

  it('refuses another account’s baseline', () => {
    expect(() => diff({ accountId: OTHER_ACCOUNT, keys: [] }, [])).toThrow(/baseline of account 210987654321/)
  })

  it('keeps the earlier first-seen day of a key the record lists twice', () => {
    const d = diff(baseline(key({ firstSeenAt: '2026-11-10' }), key({ firstSeenAt: '2026-09-01' })), [finding({ accessKeyId: keyId(1) })])
    expect(d.findings[0].firstSeenAt).toBe('2026-09-01')
    expect(d.nextBaseline.keys).toHaveLength(1)
  })
})

describe('overdue days', () => {
  it.each([
    [89, 'expiring', null],
    [90, 'stale', 0],
    [91, 'stale', 1],
    [400, 'stale', 310],
    [400, 'inactive', null],
    [400, 'root-key', null]
  ] as const)('age %i, %s: %p', (ageDays, kind, expected) => {
    expect(overdueDays(finding({ ageDays, kind }), DEFAULT_POLICY)).toBe(expected)
    expect(diff(null, [finding({ ageDays, kind })]).findings[0].overdueDays).toBe(expected)
  })

  it('follows the policy’s maximum age', () => {
    expect(overdueDays(finding({ ageDays: 100 }), { ...DEFAULT_POLICY, maxKeyAgeDays: 45 })).toBe(55)
  })
})

describe('resolved: how, in precedence', () => {
  const base = baseline(key({ firstSeenAt: '2026-11-04' }))
  const how = (lookup: KeyLookup, findings: Finding[] = []) => onlyResolved(diff(base, findings, { [keyId(1)]: lookup })).how

  it('deleted: the key is gone and its user has no newer key without a finding', () => {
    const r = onlyResolved(diff(base, [], { [keyId(1)]: { exists: false } }))
    expect(r).toEqual({
      accountId: ACCOUNT,
      userName: 'alice',
      accessKeyId: keyId(1),
      createdAt: CREATED,
      kind: 'stale',
      firstSeenAt: '2026-11-04',
      resolvedAt: TODAY,
      daysOpen: 20,
      how: 'deleted'
    })
    expect(how({ exists: false, newerKeyWithoutFinding: false })).toBe('deleted')
  })

  it('rotated: the key is gone and its user has a newer key with no finding', () => {
    expect(how({ exists: false, newerKeyWithoutFinding: true })).toBe('rotated')
  })

  it('deactivated: the key is Inactive now and its user has no newer key without a finding', () => {
    expect(how({ exists: true, status: 'Inactive' })).toBe('deactivated')
    expect(how({ exists: true, status: 'Inactive', newerKeyWithoutFinding: false })).toBe('deactivated')
  })

  it('rotated: the key is Inactive now and its user has a newer key with no finding', () => {
    expect(how({ exists: true, status: 'Inactive', newerKeyWithoutFinding: true })).toBe('rotated')
  })

  it('exempted: the finding is still there but exempt', () => {
    const d = diff(base, [finding({ accessKeyId: keyId(1), exempt: true })])
    expect(onlyResolved(d).how).toBe('exempted')
    expect(d.unexplained).toEqual([])
  })

  it('exempted: the lookup says so (no finding today, e.g. a key that would be exempt)', () => {
    expect(how({ exists: true, status: 'Active', exempt: true })).toBe('exempted')
  })

  it('a newer key alone is no rotation: the old key still there and Active is healthy', () => {
    expect(how({ exists: true, status: 'Active', newerKeyWithoutFinding: true })).toBe('healthy')
  })

  it('healthy: anything else (the threshold changed)', () => {
    expect(how({ exists: true, status: 'Active' })).toBe('healthy')
  })

  it('a key that is gone is rotated or deleted, whatever else the lookup says (exempt, Inactive)', () => {
    expect(how({ exists: false, status: 'Inactive', exempt: true, newerKeyWithoutFinding: true })).toBe('rotated')
    expect(how({ exists: false, status: 'Inactive', exempt: true, newerKeyWithoutFinding: false })).toBe('deleted')
  })

  it('exempted wins over deactivated and rotated for a key still there', () => {
    expect(how({ exists: true, status: 'Inactive', exempt: true, newerKeyWithoutFinding: true })).toBe('exempted')
    expect(how({ exists: true, status: 'Inactive', exempt: true })).toBe('exempted')
    expect(how({ exists: true, status: 'Active', exempt: true, newerKeyWithoutFinding: true })).toBe('exempted')
    // an exempt finding of an Inactive key: exempted, not deactivated
    expect(onlyResolved(diff(base, [finding({ accessKeyId: keyId(1), kind: 'inactive', status: 'Inactive', exempt: true })])).how).toBe(
      'exempted'
    )
  })

  it('today’s exempt finding wins over a lookup that says the key is gone', () => {
    const d = diff(base, [finding({ accessKeyId: keyId(1), exempt: true })], { [keyId(1)]: { exists: false } })
    expect(onlyResolved(d).how).toBe('exempted')
  })

  it('a key with an exempt finding today is never rotated: the finding says it exists, the lookup’s newer key is not asked', () => {
    const lookup = { exists: false, newerKeyWithoutFinding: true }
    expect(how(lookup, [finding({ accessKeyId: keyId(1), exempt: true })])).toBe('exempted')
    expect(how(lookup)).toBe('rotated')
  })

  it('lists the precedence in order', () => {
    expect(RESOLVED_HOWS).toEqual(['rotated', 'deleted', 'exempted', 'deactivated', 'healthy'])
  })

  it('tells a resolved key’s creation time only when the baseline has it', () => {
    const r = onlyResolved(diff(baseline(keyWithoutCreatedAt()), [], { [keyId(1)]: { exists: false } }))
    expect(r).not.toHaveProperty('createdAt')
    expect(r).toMatchObject({ accessKeyId: keyId(1), how: 'deleted' })
  })

  it('calls a key with neither a finding nor a lookup healthy, and names it unexplained', () => {
    const d = diff(base, [])
    expect(onlyResolved(d).how).toBe('healthy')
    expect(d.unexplained).toEqual([keyId(1)])
  })

  it('counts days open in whole UTC days: 0 when first seen today, 1 a minute after midnight', () => {
    const first = onlyResolved(diff(baseline(key({ firstSeenAt: TODAY })), [], { [keyId(1)]: { exists: false } }))
    expect(first.daysOpen).toBe(0)
    const next = onlyResolved(
      diff(baseline(key({ firstSeenAt: TODAY })), [], { [keyId(1)]: { exists: false } }, new Date('2026-11-25T00:01:00Z'))
    )
    expect(next).toMatchObject({ daysOpen: 1, resolvedAt: '2026-11-25' })
  })

  it('keeps the kind the key had, not today’s', () => {
    const d = diff(baseline(key({ kind: 'unused' })), [finding({ accessKeyId: keyId(1), kind: 'expiring', exempt: true })])
    expect(onlyResolved(d)).toMatchObject({ kind: 'unused', how: 'exempted' })
  })

  it('lists resolved keys oldest first, and drops them from the next baseline', () => {
    const d = diff(
      baseline(
        key({ accessKeyId: keyId(1), userName: 'carol', firstSeenAt: '2026-11-20' }),
        key({ accessKeyId: keyId(2), userName: 'bob', firstSeenAt: '2026-08-01' }),
        key({ accessKeyId: keyId(3), userName: 'alice', firstSeenAt: '2026-11-20' }),
        key({ accessKeyId: keyId(4), userName: 'dave', firstSeenAt: '2026-10-01' })
      ),
      [finding({ accessKeyId: keyId(4), userName: 'dave' })],
      { [keyId(1)]: { exists: false }, [keyId(2)]: { exists: false }, [keyId(3)]: { exists: false } }
    )
    expect(d.resolved!.map((r) => r.userName)).toEqual(['bob', 'alice', 'carol'])
    expect(d.nextBaseline.keys.map((k) => k.userName)).toEqual(['dave'])
  })

  it('rejects a baseline day that is not a date', () => {
    expect(() => diff(baseline(key({ firstSeenAt: '2026-02-30' })), [], { [keyId(1)]: { exists: false } })).toThrow(/not a date/)
  })
})

describe('the root user’s keys (no id)', () => {
  const root = (createdAt: string, overrides: Partial<Finding> = {}) =>
    finding({ kind: 'root-key', userName: '<root_account>', accessKeyId: null, createdAt, ...overrides })

  it('are told apart by their creation time', () => {
    expect(keyIdentity({ accessKeyId: null, userName: '<root_account>', createdAt: '2024-01-01T00:00:00Z' })).toBe('<root_account>@2024-01-01T00:00:00Z')
    // Every key of an offline report has no id: keys of two users made in one second stay apart.
    expect(keyIdentity({ accessKeyId: null, userName: 'bob', createdAt: '2024-01-01T00:00:00Z' })).toBe('bob@2024-01-01T00:00:00Z')
    expect(keyIdentity({ accessKeyId: keyId(1), userName: 'alice' })).toBe(keyId(1))
    const d = diff(null, [root('2024-01-01T00:00:00Z'), root('2025-01-01T00:00:00Z')])
    expect(d.nextBaseline.keys).toEqual([
      { accessKeyId: null, createdAt: '2024-01-01T00:00:00Z', userName: '<root_account>', kind: 'root-key', firstSeenAt: TODAY },
      { accessKeyId: null, createdAt: '2025-01-01T00:00:00Z', userName: '<root_account>', kind: 'root-key', firstSeenAt: TODAY }
    ])
  })

  it('are kept, new, or resolved like any key', () => {
    const base = baseline({ accessKeyId: null, createdAt: '2024-01-01T00:00:00Z', userName: '<root_account>', kind: 'root-key', firstSeenAt: '2026-11-01' })
    const kept = diff(base, [root('2024-01-01T00:00:00Z')])
    expect(kept.findings[0]).toMatchObject({ new: false, firstSeenAt: '2026-11-01' })
    // replaced by a new root key, itself a counted finding: the old one was deleted, not rotated
    const replaced = diff(base, [root('2026-11-24T08:00:00Z')], { '<root_account>@2024-01-01T00:00:00Z': { exists: false } })
    expect(replaced.findings[0]).toMatchObject({ new: true, firstSeenAt: TODAY })
    expect(onlyResolved(replaced)).toMatchObject({ accessKeyId: null, createdAt: '2024-01-01T00:00:00Z', how: 'deleted', daysOpen: 23 })
  })
})

describe('exempt findings', () => {
  it('are not counted: never new, no first-seen day, not remembered; overdue still told', () => {
    const d = diff(baseline(), [finding({ accessKeyId: keyId(5), exempt: true, ageDays: 100 })])
    expect(d.findings[0]).toMatchObject({ new: false, firstSeenAt: null, overdueDays: 10, exempt: true })
    expect(newCount(d)).toBe(0)
    expect(d.nextBaseline.keys).toEqual([])
  })

  it('without a baseline, new is null like every other finding', () => {
    expect(diff(null, [finding({ exempt: true })]).findings[0]).toMatchObject({ new: null, firstSeenAt: null })
  })
})

describe('without a baseline', () => {
  const d = diff(null, [finding({ accessKeyId: keyId(1), ageDays: 95 }), finding({ accessKeyId: keyId(2), kind: 'unused' })])

  it('leaves new, first seen, resolved and the counts null: never "everything is new"', () => {
    for (const f of d.findings) expect(f).toMatchObject({ new: null, firstSeenAt: null })
    expect(d.findings[0].overdueDays).toBe(5)
    expect(d.hasBaseline).toBe(false)
    expect(d.resolved).toBeNull()
    expect(newCount(d)).toBeNull()
    expect(resolvedCount(d)).toBeNull()
    expect(d.unexplained).toEqual([])
  })

  it('starts the next baseline today', () => {
    expect(d.nextBaseline.keys.map((k) => k.firstSeenAt)).toEqual([TODAY, TODAY])
  })

  it('differs from an empty baseline, where everything is new', () => {
    const empty = diff(baseline(), d.findings)
    expect(newCount(empty)).toBe(2)
    expect(resolvedCount(empty)).toBe(0)
  })
})

describe('counts', () => {
  const resolvedWith = (...days: number[]) => days.map((daysOpen) => ({ daysOpen }) as ResolvedKey)

  it('medianDaysOpen: the middle one, the mean of the middle two, null for none', () => {
    expect(medianDaysOpen([])).toBeNull()
    expect(medianDaysOpen(resolvedWith(7))).toBe(7)
    expect(medianDaysOpen(resolvedWith(30, 1, 12))).toBe(12)
    expect(medianDaysOpen(resolvedWith(10, 1, 4, 30))).toBe(7)
    expect(medianDaysOpen(resolvedWith(1, 2))).toBe(1.5)
  })

  it('the report’s totals add the accounts with a baseline; null when none had one', () => {
    const withBase = diff(baseline(key()), [finding({ accessKeyId: keyId(2) })], { [keyId(1)]: { exists: false } })
    const without = diffAccount(null, { accountId: OTHER_ACCOUNT, findings: [finding({ accountId: OTHER_ACCOUNT, accessKeyId: keyId(3) })], lookups: new Map() }, NOW, DEFAULT_POLICY)
    const scanOf = (d: AccountDiff, accountId: string) =>
      accountScan({ accountId, findings: d.findings, lifecycle: { baseline: d.hasBaseline ? 'tracking-issue' : null, resolved: d.resolved, next: d.nextBaseline } })
    const report = (...scans: ReturnType<typeof scanOf>[]) => buildReport({ generatedAt: NOW, policy: DEFAULT_POLICY, scans })
    expect(report(scanOf(withBase, ACCOUNT), scanOf(without, OTHER_ACCOUNT)).totals).toMatchObject({ new: 1, resolved: 1 })
    expect(report(scanOf(without, OTHER_ACCOUNT)).totals).toMatchObject({ new: null, resolved: null })
    expect(report().totals).toMatchObject({ new: null, resolved: null })
  })
})

describe('5,000 keys', () => {
  it('diffs in linear time: half kept, half resolved, 2,500 new', () => {
    const base = baseline(...Array.from({ length: 5000 }, (_, i) => key({ accessKeyId: keyId(i), userName: `u${i}`, firstSeenAt: '2026-06-01' })))
    const findings = Array.from({ length: 5000 }, (_, i) => finding({ accessKeyId: keyId(i + 2500), userName: `u${i + 2500}`, ageDays: 100 }))
    const lookups = Object.fromEntries(Array.from({ length: 2500 }, (_, i) => [keyId(i), { exists: false }]))
    const started = performance.now()
    const d = diff(base, findings, lookups)
    const elapsed = performance.now() - started
    expect(newCount(d)).toBe(2500)
    expect(resolvedCount(d)).toBe(2500)
    expect(d.resolved!.every((r) => r.how === 'deleted' && r.daysOpen === 176)).toBe(true)
    expect(d.nextBaseline.keys).toHaveLength(5000)
    expect(d.findings.filter((f) => f.firstSeenAt === '2026-06-01')).toHaveLength(2500)
    expect(medianDaysOpen(d.resolved!)).toBe(176)
    expect(elapsed).toBeLessThan(1000)
  })
})

describe('lookupsFromInventory', () => {
  /** A key of today's inventory: alice's keyId(1), Active, made at CREATED, unless told. */
  function inv(overrides: Partial<InventoryKey> = {}): InventoryKey {
    return { userName: 'alice', accessKeyId: keyId(1), status: 'Active', createdAt: new Date(CREATED), ...overrides }
  }
  const lookups = (base: Baseline, inventory: InventoryKey[], findings: Finding[] = []) => lookupsFromInventory(base, inventory, findings)
  /** The diff of `base` against today's findings, with the lookups the inventory gives. */
  const diffWithInventory = (base: Baseline, inventory: InventoryKey[], findings: Finding[] = []) =>
    diff(base, findings, Object.fromEntries(lookups(base, inventory, findings)))

  it('finds a listed key by its id, with its status now', () => {
    const base = baseline(key())
    const other = inv({ userName: 'bob', accessKeyId: keyId(9) })
    expect(lookups(base, [other, inv({ status: 'Active' })])).toEqual(
      new Map([[keyId(1), { exists: true, status: 'Active', newerKeyWithoutFinding: false }]])
    )
    expect(lookups(base, [inv({ status: 'Inactive' }), other])).toEqual(
      new Map([[keyId(1), { exists: true, status: 'Inactive', newerKeyWithoutFinding: false }]])
    )
    expect(onlyResolved(diffWithInventory(base, [inv({ status: 'Active' })])).how).toBe('healthy')
    expect(onlyResolved(diffWithInventory(base, [inv({ status: 'Inactive' })])).how).toBe('deactivated')
  })

  it('finds a listed key by its id even when its creation time is not the one remembered', () => {
    expect(lookups(baseline(key()), [inv({ createdAt: new Date('2026-05-01T00:00:07Z') })]).get(keyId(1))).toEqual({
      exists: true,
      status: 'Active',
      newerKeyWithoutFinding: false
    })
  })

  it('finds a key only the credential report saw (no id) by its user and creation second', () => {
    const base = baseline(key())
    const reportKey = inv({ accessKeyId: null, status: 'Inactive', createdAt: new Date('2026-05-01T00:00:00.750Z') })
    expect(lookups(base, [reportKey])).toEqual(new Map([[keyId(1), { exists: true, status: 'Inactive', newerKeyWithoutFinding: false }]]))
    expect(onlyResolved(diffWithInventory(base, [reportKey])).how).toBe('deactivated')
    // another second, or the same second under another user, is not the key
    expect(lookups(base, [inv({ accessKeyId: null, createdAt: new Date('2026-04-30T23:59:59Z') })]).get(keyId(1))).toEqual({
      exists: false,
      newerKeyWithoutFinding: false
    })
    expect(lookups(base, [inv({ userName: 'bob', accessKeyId: null })]).get(keyId(1))).toEqual({ exists: false, newerKeyWithoutFinding: false })
  })

  it('does not take a listed key of another id for the key, even made in the same second', () => {
    expect(lookups(baseline(key()), [inv({ accessKeyId: keyId(2) })]).get(keyId(1))).toEqual({ exists: false, newerKeyWithoutFinding: false })
  })

  it('a key gone while its user stays: exists false, deleted', () => {
    const base = baseline(key())
    const older = inv({ accessKeyId: keyId(2), createdAt: new Date('2025-01-01T00:00:00Z') })
    expect(lookups(base, [older])).toEqual(new Map([[keyId(1), { exists: false, newerKeyWithoutFinding: false }]]))
    expect(onlyResolved(diffWithInventory(base, [older])).how).toBe('deleted')
  })

  it('a user gone: exists false, deleted', () => {
    const base = baseline(key())
    const bobs = [inv({ userName: 'bob', accessKeyId: keyId(2), createdAt: new Date('2026-11-20T09:00:00Z') })]
    expect(lookups(base, bobs)).toEqual(new Map([[keyId(1), { exists: false, newerKeyWithoutFinding: false }]]))
    expect(lookups(base, [])).toEqual(new Map([[keyId(1), { exists: false, newerKeyWithoutFinding: false }]]))
    expect(onlyResolved(diffWithInventory(base, bobs)).how).toBe('deleted')
  })

  it('a user who rotated: the old key gone, a newer key without a finding; rotated', () => {
    const base = baseline(key({ firstSeenAt: '2026-11-10' }))
    const newKey = inv({ accessKeyId: keyId(2), createdAt: new Date('2026-11-20T09:00:00Z') })
    expect(lookups(base, [newKey])).toEqual(new Map([[keyId(1), { exists: false, newerKeyWithoutFinding: true }]]))
    const d = diffWithInventory(base, [newKey])
    expect(onlyResolved(d)).toEqual({
      accountId: ACCOUNT,
      userName: 'alice',
      accessKeyId: keyId(1),
      createdAt: CREATED,
      kind: 'stale',
      firstSeenAt: '2026-11-10',
      resolvedAt: TODAY,
      daysOpen: 14,
      how: 'rotated'
    })
    expect(d.unexplained).toEqual([])
    // the newer key seen by the credential report alone (no id) counts the same
    expect(lookups(base, [{ ...newKey, accessKeyId: null }]).get(keyId(1))).toEqual({ exists: false, newerKeyWithoutFinding: true })
  })

  it('a user who rotated by deactivating the old key: Inactive, a newer key without a finding; rotated', () => {
    const base = baseline(key())
    const inventory = [inv({ status: 'Inactive' }), inv({ accessKeyId: keyId(2), createdAt: new Date('2026-11-20T09:00:00Z') })]
    expect(lookups(base, inventory)).toEqual(new Map([[keyId(1), { exists: true, status: 'Inactive', newerKeyWithoutFinding: true }]]))
    expect(onlyResolved(diffWithInventory(base, inventory)).how).toBe('rotated')
  })

  it('a newer key only counts when strictly newer: one made in the same second or earlier does not', () => {
    const base = baseline(key())
    const sameSecond = inv({ accessKeyId: keyId(2), createdAt: new Date('2026-05-01T00:00:00.900Z') })
    expect(lookups(base, [sameSecond]).get(keyId(1))).toEqual({ exists: false, newerKeyWithoutFinding: false })
    const nextSecond = inv({ accessKeyId: keyId(2), createdAt: new Date('2026-05-01T00:00:01Z') })
    expect(lookups(base, [nextSecond]).get(keyId(1))).toEqual({ exists: false, newerKeyWithoutFinding: true })
  })

  it('a newer key that itself has a counted finding is no rotation: deleted', () => {
    const base = baseline(key())
    const newKey = inv({ accessKeyId: keyId(2), createdAt: new Date('2026-08-01T00:00:00Z') })
    const newFinding = finding({ accessKeyId: keyId(2), kind: 'unused', createdAt: '2026-08-01T00:00:00Z', ageDays: 115 })
    expect(lookups(base, [newKey], [newFinding])).toEqual(new Map([[keyId(1), { exists: false, newerKeyWithoutFinding: false }]]))
    expect(onlyResolved(diffWithInventory(base, [newKey], [newFinding])).how).toBe('deleted')
    // the same key seen without an id is told by its creation second
    expect(lookups(base, [{ ...newKey, accessKeyId: null }], [newFinding]).get(keyId(1))).toEqual({
      exists: false,
      newerKeyWithoutFinding: false
    })
  })

  it('a newer key with only an exempt finding has no counted finding: rotated', () => {
    const base = baseline(key())
    const newKey = inv({ accessKeyId: keyId(2), createdAt: new Date('2026-08-01T00:00:00Z') })
    const exemptFinding = finding({ accessKeyId: keyId(2), createdAt: '2026-08-01T00:00:00Z', exempt: true })
    expect(lookups(base, [newKey], [exemptFinding]).get(keyId(1))).toEqual({ exists: false, newerKeyWithoutFinding: true })
  })

  it('finds the root user’s key (no id) by its creation second', () => {
    const rootKey = (createdAt: string) =>
      key({ accessKeyId: null, createdAt, userName: '<root_account>', kind: 'root-key', firstSeenAt: '2026-11-04' })
    const base = baseline(rootKey('2026-11-01T10:00:00Z'))
    const id = '<root_account>@2026-11-01T10:00:00Z'
    // deactivated since (young, so no finding)
    const deactivated = [inv({ userName: '<root_account>', accessKeyId: null, status: 'Inactive', createdAt: new Date('2026-11-01T10:00:00Z') })]
    expect(lookups(base, deactivated)).toEqual(new Map([[id, { exists: true, status: 'Inactive', newerKeyWithoutFinding: false }]]))
    expect(onlyResolved(diffWithInventory(base, deactivated))).toMatchObject({ accessKeyId: null, createdAt: '2026-11-01T10:00:00Z', how: 'deactivated' })
    // deleted, and a new root key made: that one is a counted finding, so the old one was deleted
    const replaced = [inv({ userName: '<root_account>', accessKeyId: null, createdAt: new Date('2026-11-22T08:00:00Z') })]
    const rootFinding = finding({ kind: 'root-key', userName: '<root_account>', accessKeyId: null, createdAt: '2026-11-22T08:00:00Z', ageDays: 2 })
    expect(lookups(base, replaced, [rootFinding])).toEqual(new Map([[id, { exists: false, newerKeyWithoutFinding: false }]]))
    expect(onlyResolved(diffWithInventory(base, replaced, [rootFinding])).how).toBe('deleted')
  })

  it('gives no lookup for a key still counted today, but one for a key whose finding is exempt today', () => {
    const base = baseline(
      key(),
      key({ accessKeyId: keyId(2), userName: 'bob' }),
      key({ accessKeyId: null, createdAt: '2024-01-01T00:00:00Z', userName: '<root_account>', kind: 'root-key' })
    )
    const inventory = [
      inv(),
      inv({ userName: 'bob', accessKeyId: keyId(2) }),
      inv({ userName: '<root_account>', accessKeyId: null, createdAt: new Date('2024-01-01T00:00:00Z') })
    ]
    const findings = [
      finding({ accessKeyId: keyId(1) }),
      finding({ accessKeyId: keyId(2), userName: 'bob', exempt: true }),
      finding({ kind: 'root-key', userName: '<root_account>', accessKeyId: null, createdAt: '2024-01-01T00:00:00Z' })
    ]
    expect(lookups(base, inventory, findings)).toEqual(new Map([[keyId(2), { exists: true, status: 'Active', newerKeyWithoutFinding: false }]]))
  })

  it('never calls a baseline key without a creation time rotated: it cannot tell a newer key', () => {
    const base = baseline(keyWithoutCreatedAt())
    const newKey = inv({ accessKeyId: keyId(2), createdAt: new Date('2026-11-20T09:00:00Z') })
    expect(lookups(base, [newKey])).toEqual(new Map([[keyId(1), { exists: false, newerKeyWithoutFinding: false }]]))
    expect(onlyResolved(diffWithInventory(base, [newKey])).how).toBe('deleted')
    const deactivated = [inv({ status: 'Inactive' }), newKey]
    expect(lookups(base, deactivated)).toEqual(new Map([[keyId(1), { exists: true, status: 'Inactive', newerKeyWithoutFinding: false }]]))
    expect(onlyResolved(diffWithInventory(base, deactivated)).how).toBe('deactivated')
  })

  it('gives no lookup for a key without a creation time whose user’s keys have no ids: it cannot tell whether the key is there', () => {
    const base = baseline(keyWithoutCreatedAt())
    const reportKey = inv({ accessKeyId: null })
    expect(lookups(base, [reportKey])).toEqual(new Map())
    const d = diffWithInventory(base, [reportKey])
    expect(onlyResolved(d).how).toBe('healthy')
    expect(d.unexplained).toEqual([keyId(1)])
  })

  it('day 2, end to end: one key deleted, one user rotated, one new stale key, one kept', () => {
    const day1 = '2026-11-10'
    const base = baseline(
      key({ accessKeyId: keyId(1), userName: 'alice', createdAt: '2026-05-01T00:00:00Z', firstSeenAt: day1 }),
      key({ accessKeyId: keyId(2), userName: 'bob', createdAt: '2026-06-01T00:00:00Z', firstSeenAt: day1 }),
      key({ accessKeyId: keyId(3), userName: 'carol', createdAt: '2026-04-01T00:00:00Z', firstSeenAt: day1 })
    )
    // today: alice deleted her key; bob made a new one and deleted the old; dave's key turned stale
    const inventory: InventoryKey[] = [
      inv({ userName: 'bob', accessKeyId: null, createdAt: new Date('2026-11-20T09:00:00Z') }),
      inv({ userName: 'carol', accessKeyId: keyId(3), createdAt: new Date('2026-04-01T00:00:00Z') }),
      inv({ userName: 'dave', accessKeyId: keyId(4), createdAt: new Date('2026-08-20T00:00:00Z') }),
      inv({ userName: 'erin', accessKeyId: null, createdAt: new Date('2026-10-01T00:00:00Z') })
    ]
    const findings = [
      finding({ accessKeyId: keyId(3), userName: 'carol', createdAt: '2026-04-01T00:00:00Z', ageDays: 237 }),
      finding({ accessKeyId: keyId(4), userName: 'dave', createdAt: '2026-08-20T00:00:00Z', ageDays: 96 })
    ]
    const found = lookupsFromInventory(base, inventory, findings)
    expect(found).toEqual(
      new Map([
        [keyId(1), { exists: false, newerKeyWithoutFinding: false }],
        [keyId(2), { exists: false, newerKeyWithoutFinding: true }]
      ])
    )
    const d = diffAccount(base, { accountId: ACCOUNT, findings, lookups: found }, NOW, DEFAULT_POLICY)
    expect(d.findings.map((f) => [f.userName, f.new, f.firstSeenAt, f.overdueDays])).toEqual([
      ['carol', false, day1, 147],
      ['dave', true, TODAY, 6]
    ])
    expect(d.resolved).toEqual([
      {
        accountId: ACCOUNT,
        userName: 'alice',
        accessKeyId: keyId(1),
        createdAt: '2026-05-01T00:00:00Z',
        kind: 'stale',
        firstSeenAt: day1,
        resolvedAt: TODAY,
        daysOpen: 14,
        how: 'deleted'
      },
      {
        accountId: ACCOUNT,
        userName: 'bob',
        accessKeyId: keyId(2),
        createdAt: '2026-06-01T00:00:00Z',
        kind: 'stale',
        firstSeenAt: day1,
        resolvedAt: TODAY,
        daysOpen: 14,
        how: 'rotated'
      }
    ])
    expect(d.unexplained).toEqual([])
    expect(d.kindChanges).toEqual([])
    expect(newCount(d)).toBe(1)
    expect(resolvedCount(d)).toBe(2)
    expect(d.nextBaseline).toEqual({
      accountId: ACCOUNT,
      keys: [
        { accessKeyId: keyId(3), createdAt: '2026-04-01T00:00:00Z', userName: 'carol', kind: 'stale', firstSeenAt: day1 },
        { accessKeyId: keyId(4), createdAt: '2026-08-20T00:00:00Z', userName: 'dave', kind: 'stale', firstSeenAt: TODAY }
      ]
    })
  })
})

describe('baselinesFromReport', () => {
  const findings = [
    finding({ accessKeyId: keyId(1), userName: 'alice', kind: 'stale' }),
    finding({ accessKeyId: keyId(2), userName: 'svc', kind: 'stale', exempt: true }),
    finding({ accessKeyId: null, userName: '<root_account>', kind: 'root-key', createdAt: '2024-01-01T00:00:00Z' })
  ]

  it('reads a schema 1 report: counted findings, first seen on the report’s day', () => {
    // A report as version 1 wrote it: no lifecycle fields.
    const v2 = JSON.parse(JSON.stringify(makeReport({ findings }))) as Record<string, unknown> & { findings: Record<string, unknown>[] }
    const v1 = {
      ...v2,
      schemaVersion: 1,
      resolved: undefined,
      notes: undefined,
      findings: v2.findings.map(({ firstSeenAt: _f, new: _n, overdueDays: _o, ...rest }) => rest)
    }
    const result = baselinesFromReport(JSON.parse(JSON.stringify(v1)))
    expect(result).toEqual({
      ok: true,
      schemaVersion: 1,
      generatedAt: '2026-11-24T12:00:00Z',
      failedAccounts: [],
      baselines: new Map([
        [
          ACCOUNT,
          {
            accountId: ACCOUNT,
            keys: [
              { accessKeyId: null, createdAt: '2024-01-01T00:00:00Z', userName: '<root_account>', kind: 'root-key', firstSeenAt: TODAY },
              { accessKeyId: keyId(1), createdAt: CREATED, userName: 'alice', kind: 'stale', firstSeenAt: TODAY }
            ]
          }
        ]
      ])
    })
  })

  it('reads a schema 2 report: its firstSeenAt kept; null (that run had no baseline) is the report’s day', () => {
    const report = {
      ...makeReport(),
      schemaVersion: 2,
      generatedAt: '2026-11-20T23:59:59Z',
      findings: [
        { ...findings[0], firstSeenAt: '2026-03-03', new: false, overdueDays: 117, controls: ['IAM.3'], owners: [] },
        { ...findings[1], firstSeenAt: null, new: false },
        { ...finding({ accessKeyId: keyId(7), userName: 'bob', createdAt: '2025-07-08T09:10:11Z' }), firstSeenAt: null, new: null }
      ],
      resolved: []
    }
    const result = baselinesFromReportText(JSON.stringify(report))
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.schemaVersion).toBe(2)
    expect(result.baselines.get(ACCOUNT)!.keys).toEqual([
      { accessKeyId: keyId(1), createdAt: CREATED, userName: 'alice', kind: 'stale', firstSeenAt: '2026-03-03' },
      { accessKeyId: keyId(7), createdAt: '2025-07-08T09:10:11Z', userName: 'bob', kind: 'stale', firstSeenAt: '2026-11-20' }
    ])
  })

  it('gives a clean account an empty baseline and a failed one none', () => {
    const report = makeReport({
      scans: [accountScan({ accountId: ACCOUNT, findings: [] })],
      failures: [{ accountId: OTHER_ACCOUNT, error: 'AccessDenied' }]
    })
    const result = baselinesFromReport(JSON.parse(JSON.stringify(report)))
    expect(result).toMatchObject({ ok: true, failedAccounts: [OTHER_ACCOUNT] })
    if (!result.ok) return
    expect(result.baselines.get(ACCOUNT)).toEqual({ accountId: ACCOUNT, keys: [] })
    expect(result.baselines.has(OTHER_ACCOUNT)).toBe(false)
  })

  it('keeps each account’s keys apart', () => {
    const report = makeReport({
      scans: [
        accountScan({ accountId: ACCOUNT, findings: [finding({ accessKeyId: keyId(1) })] }),
        accountScan({ accountId: OTHER_ACCOUNT, findings: [finding({ accountId: OTHER_ACCOUNT, accessKeyId: keyId(2) })] })
      ]
    })
    const result = baselinesFromReport(JSON.parse(JSON.stringify(report)))
    if (!result.ok) throw new Error(result.error)
    expect(result.baselines.get(ACCOUNT)!.keys.map((k) => k.accessKeyId)).toEqual([keyId(1)])
    expect(result.baselines.get(OTHER_ACCOUNT)!.keys.map((k) => k.accessKeyId)).toEqual([keyId(2)])
  })

  it('round-trips: the next day, a report’s baseline diffs like the record', () => {
    const result = baselinesFromReport(JSON.parse(JSON.stringify(makeReport({ findings }))))
    if (!result.ok) throw new Error(result.error)
    const d = diff(result.baselines.get(ACCOUNT)!, [findings[0]], { [keyIdentity(findings[2])]: { exists: false } }, new Date('2026-11-25T06:00:00Z'))
    expect(d.findings[0]).toMatchObject({ new: false, firstSeenAt: TODAY })
    expect(onlyResolved(d)).toMatchObject({ kind: 'root-key', how: 'deleted', daysOpen: 1 })
  })

  const good = () => JSON.parse(JSON.stringify(makeReport({ findings }))) as Record<string, unknown> & { findings: Record<string, unknown>[] }

  it.each([
    ['not JSON', () => '{"schemaVersion": 1,', /not JSON/],
    ['an array', () => '[]', /not a JSON object/],
    ['null', () => 'null', /not a JSON object/],
    ['schema 3', () => JSON.stringify({ ...good(), schemaVersion: 3 }), /schemaVersion 3; 1 and 2/],
    ['no schemaVersion', () => JSON.stringify({ ...good(), schemaVersion: undefined }), /schemaVersion missing/],
    ['schemaVersion "1"', () => JSON.stringify({ ...good(), schemaVersion: '1' }), /schemaVersion "1"/],
    ['a cut copy', () => JSON.stringify({ ...good(), truncated: true, findingsOmitted: 3 }), /truncated/],
    ['no generatedAt', () => JSON.stringify({ ...good(), generatedAt: undefined }), /generatedAt/],
    ['a bad generatedAt', () => JSON.stringify({ ...good(), generatedAt: 'yesterday' }), /generatedAt/],
    ['no accounts', () => JSON.stringify({ ...good(), accounts: undefined }), /no accounts list/],
    ['no findings', () => JSON.stringify({ ...good(), findings: {} }), /no findings list/],
    ['an account without id', () => JSON.stringify({ ...good(), accounts: [{ error: null }] }), /accounts\[0\]/],
    ['an account with a numeric error', () => JSON.stringify({ ...good(), accounts: [{ accountId: ACCOUNT, error: 5 }] }), /malformed error/],
    ['a finding that is a string', () => JSON.stringify({ ...good(), findings: ['x'] }), /findings\[0\]/],
    ['a finding without accountId', () => JSON.stringify({ ...good(), findings: [{ ...good().findings[0], accountId: 1 }] }), /accountId/],
    ['a finding without userName', () => JSON.stringify({ ...good(), findings: [{ ...good().findings[0], userName: undefined }] }), /userName/],
    ['a finding of unknown kind', () => JSON.stringify({ ...good(), findings: [{ ...good().findings[0], kind: 'ancient' }] }), /unknown kind "ancient"/],
    ['a finding without exempt', () => JSON.stringify({ ...good(), findings: [{ ...good().findings[0], exempt: 'no' }] }), /exempt/],
    ['an empty key id', () => JSON.stringify({ ...good(), findings: [{ ...good().findings[0], accessKeyId: '' }] }), /accessKeyId/],
    ['a missing key id', () => JSON.stringify({ ...good(), findings: [{ ...good().findings[0], accessKeyId: undefined }] }), /accessKeyId/],
    [
      'a root key without createdAt',
      () => JSON.stringify({ ...good(), findings: [{ ...good().findings.find((f) => f.accessKeyId === null), createdAt: undefined }] }),
      /has a finding without a valid createdAt \(findings\[0\]\)/
    ],
    [
      'a key with an id but without createdAt',
      () => JSON.stringify({ ...good(), findings: [good().findings[0], { ...good().findings[0], accessKeyId: 'AKIAOTHER', createdAt: undefined }] }),
      /has a finding without a valid createdAt \(findings\[1\]\)/
    ],
    [
      'a createdAt that is no time',
      () => JSON.stringify({ ...good(), findings: [{ ...good().findings[0], createdAt: 'last spring' }] }),
      /has a finding without a valid createdAt \(findings\[0\]\)/
    ],
    [
      'a numeric createdAt',
      () => JSON.stringify({ ...good(), findings: [{ ...good().findings[0], createdAt: 1700000000000 }] }),
      /has a finding without a valid createdAt \(findings\[0\]\)/
    ],
    [
      'a schema 2 firstSeenAt that is no date',
      () => JSON.stringify({ ...good(), schemaVersion: 2, findings: [{ ...good().findings[0], firstSeenAt: '2026-13-01' }] }),
      /first seen on "2026-13-01"/
    ],
    [
      'a schema 2 firstSeenAt with a time',
      () => JSON.stringify({ ...good(), schemaVersion: 2, findings: [{ ...good().findings[0], firstSeenAt: '2026-11-01T00:00:00Z' }] }),
      /not a YYYY-MM-DD date/
    ]
  ])('refuses %s with a clear error, never an empty baseline', (_name, text, message) => {
    const result = baselinesFromReportText(text())
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error).toMatch(/^the previous report /)
    expect(result.error).toMatch(message)
  })

  it('a malformed exempt finding is refused too', () => {
    const report = good()
    const i = report.findings.findIndex((f) => f.exempt === true)
    report.findings[i] = { ...report.findings[i], kind: 42 }
    expect(baselinesFromReport(report)).toMatchObject({ ok: false, error: expect.stringContaining(`findings[${i}]`) })
  })

  it('an exempt finding without a valid createdAt is refused too', () => {
    const report = good()
    const i = report.findings.findIndex((f) => f.exempt === true)
    report.findings[i] = { ...report.findings[i], createdAt: null }
    expect(baselinesFromReport(report)).toEqual({
      ok: false,
      error: `the previous report has a finding without a valid createdAt (findings[${i}])`
    })
  })
})

describe('utcDayOf', () => {
  it('is the UTC calendar day', () => {
    expect(utcDayOf(new Date('2026-11-24T23:59:59.999Z'))).toBe('2026-11-24')
    expect(utcDayOf(new Date('2026-11-25T00:00:00+01:00'))).toBe('2026-11-24')
  })
})

describe('keys this action deactivated', () => {
  const young = (over: Partial<BaselineKey> = {}): BaselineKey => ({
    accessKeyId: keyId(5),
    createdAt: CREATED,
    userName: 'young-yan',
    kind: 'inactive',
    firstSeenAt: '2026-11-20',
    deactivatedByAction: '2026-11-20',
    ...over
  })
  const lookupsOf = (entries: [string, KeyLookup][]) => new Map(entries)

  it('keeps a young deactivated key (no finding of its own) in the record while it stays inactive, never resolved', () => {
    const d = diffAccount(baseline(young()), { accountId: ACCOUNT, findings: [], lookups: lookupsOf([[keyId(5), { exists: true, status: 'Inactive' }]]) }, NOW, DEFAULT_POLICY)
    expect(d.resolved).toEqual([])
    expect(d.nextBaseline.keys).toEqual([young()])
  })

  it('drops it silently once it is deleted or active again', () => {
    for (const lookup of [{ exists: false }, { exists: true, status: 'Active' as const }]) {
      const d = diffAccount(baseline(young()), { accountId: ACCOUNT, findings: [], lookups: lookupsOf([[keyId(5), lookup]]) }, NOW, DEFAULT_POLICY)
      expect(d.resolved).toEqual([])
      expect(d.nextBaseline.keys).toEqual([])
    }
  })

  it('forgets that it deactivated a key once the key is active again with a finding', () => {
    const flagged = { ...key(), deactivatedByAction: '2026-11-15' }
    const d = diff(baseline(flagged), [finding({ accessKeyId: keyId(1), status: 'Active' })])
    expect(d.nextBaseline.keys[0]).not.toHaveProperty('deactivatedByAction')
    const kept = diff(baseline(flagged), [finding({ accessKeyId: keyId(1), kind: 'inactive', status: 'Inactive' })])
    expect(kept.nextBaseline.keys[0]).toMatchObject({ deactivatedByAction: '2026-11-15' })
  })
})
