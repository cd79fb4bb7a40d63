import { describe, expect, it } from '@jest/globals'
import { classifyKey, classifyKeys, evaluate, isRootFinding, sortFindings, toFinding } from '../../../src/core/policy.js'
import type { KeyRecord, Policy } from '../../../src/core/model.js'
import { ACCOUNT, DEFAULT_POLICY, NOW, daysAgo, finding, keyRecord } from '../helpers.js'

const policy = (overrides: Partial<Policy> = {}): Policy => ({ ...DEFAULT_POLICY, ...overrides })
const active = (age: number, overrides: Partial<KeyRecord> = {}) => keyRecord({ createdAt: daysAgo(age), ...overrides })
const inactive = (age: number, overrides: Partial<KeyRecord> = {}) =>
  keyRecord({ createdAt: daysAgo(age), status: 'Inactive', ...overrides })

describe('classifyKey: stale', () => {
  it('an active key of 89 days is healthy, of 90 days stale (stale exactly at max-key-age-days)', () => {
    expect(classifyKey(active(89), policy(), NOW)).toBeNull()
    expect(classifyKey(active(90), policy(), NOW)).toBe('stale')
    expect(classifyKey(active(91), policy(), NOW)).toBe('stale')
    expect(classifyKey(active(2000), policy(), NOW)).toBe('stale')
  })

  it('a new key is healthy', () => {
    expect(classifyKey(active(0), policy(), NOW)).toBeNull()
    expect(classifyKey(active(1), policy(), NOW)).toBeNull()
  })

  it('counts UTC calendar days: a key made at 23:59 UTC 90 days back is stale right after midnight', () => {
    const key = keyRecord({ createdAt: new Date('2026-08-25T23:59:00Z') })
    expect(classifyKey(key, policy(), new Date('2026-11-22T23:59:59Z'))).toBeNull() // 89 days
    expect(classifyKey(key, policy(), new Date('2026-11-23T00:00:30Z'))).toBe('stale') // 90 days
  })

  it('follows max-key-age-days', () => {
    expect(classifyKey(active(29), policy({ maxKeyAgeDays: 30 }), NOW)).toBeNull()
    expect(classifyKey(active(30), policy({ maxKeyAgeDays: 30 }), NOW)).toBe('stale')
    expect(classifyKey(active(1), policy({ maxKeyAgeDays: 1 }), NOW)).toBe('stale')
  })

  it('a key created in the future (clock skew) is age 0, not stale', () => {
    expect(classifyKey(keyRecord({ createdAt: new Date('2027-01-01T00:00:00Z') }), policy(), NOW)).toBeNull()
  })
})

describe('classifyKey: inactive', () => {
  it('an inactive key is never stale; it is an inactive finding only at age >= max-key-age-days', () => {
    expect(classifyKey(inactive(0), policy(), NOW)).toBeNull()
    expect(classifyKey(inactive(89), policy(), NOW)).toBeNull()
    expect(classifyKey(inactive(90), policy(), NOW)).toBe('inactive')
    expect(classifyKey(inactive(900), policy(), NOW)).toBe('inactive')
  })

  it('an inactive key is neither unused nor expiring', () => {
    const all = policy({ warnKeyAgeDays: 60, maxUnusedDays: 45 })
    expect(classifyKey(inactive(75), all, NOW)).toBeNull()
    expect(classifyKey(inactive(75, { lastUsedAt: daysAgo(70) }), all, NOW)).toBeNull()
  })

  it('an inactive root key is a root-key finding at any age (Security Hub IAM.4 and CIS v5 count it)', () => {
    expect(classifyKey(inactive(0, { isRoot: true, accessKeyId: null }), policy(), NOW)).toBe('root-key')
    expect(classifyKey(inactive(10, { isRoot: true, accessKeyId: null }), policy(), NOW)).toBe('root-key')
    expect(classifyKey(inactive(90, { isRoot: true, accessKeyId: null }), policy(), NOW)).toBe('root-key')
  })
})

describe('classifyKey: root-key', () => {
  it('an active root key is a root-key finding at any age', () => {
    for (const age of [0, 1, 89, 90, 1000]) {
      expect(classifyKey(active(age, { isRoot: true, accessKeyId: null }), policy(), NOW)).toBe('root-key')
    }
  })

  it('root-key wins over unused and expiring', () => {
    const all = policy({ warnKeyAgeDays: 1, maxUnusedDays: 1 })
    expect(classifyKey(active(50, { isRoot: true }), all, NOW)).toBe('root-key')
  })
})

describe('classifyKey: unused', () => {
  const unused45 = policy({ maxUnusedDays: 45 })

  it('is off when max-unused-days is not set', () => {
    expect(classifyKey(active(80, { lastUsedAt: daysAgo(80) }), policy(), NOW)).toBeNull()
    expect(classifyKey(active(80), policy(), NOW)).toBeNull()
  })

  it('counts from the last use: 44 days idle is healthy, 45 days idle is unused', () => {
    expect(classifyKey(active(80, { lastUsedAt: daysAgo(44) }), unused45, NOW)).toBeNull()
    expect(classifyKey(active(80, { lastUsedAt: daysAgo(45) }), unused45, NOW)).toBe('unused')
  })

  it('a key never used counts from its creation: the day before and the day of the threshold', () => {
    expect(classifyKey(active(44, { lastUsedAt: null }), unused45, NOW)).toBeNull()
    expect(classifyKey(active(45, { lastUsedAt: null }), unused45, NOW)).toBe('unused')
  })

  it('a key used today is not unused, however old it is (below max)', () => {
    expect(classifyKey(active(89, { lastUsedAt: daysAgo(0) }), unused45, NOW)).toBeNull()
  })

  it('stale wins over unused', () => {
    expect(classifyKey(active(90, { lastUsedAt: null }), unused45, NOW)).toBe('stale')
  })

  it('unused wins over expiring', () => {
    const both = policy({ maxUnusedDays: 45, warnKeyAgeDays: 60 })
    expect(classifyKey(active(70, { lastUsedAt: daysAgo(50) }), both, NOW)).toBe('unused')
    expect(classifyKey(active(70, { lastUsedAt: daysAgo(10) }), both, NOW)).toBe('expiring')
  })
})

describe('classifyKey: expiring', () => {
  const warn60 = policy({ warnKeyAgeDays: 60 })

  it('is off when warn-key-age-days is not set', () => {
    expect(classifyKey(active(89), policy(), NOW)).toBeNull()
  })

  it('the day before warn-key-age-days is healthy, the day of it is expiring, up to max - 1', () => {
    expect(classifyKey(active(59), warn60, NOW)).toBeNull()
    expect(classifyKey(active(60), warn60, NOW)).toBe('expiring')
    expect(classifyKey(active(89), warn60, NOW)).toBe('expiring')
    expect(classifyKey(active(90), warn60, NOW)).toBe('stale')
  })
})

describe('toFinding', () => {
  it('copies the key and adds kind, severity, age in days and ISO dates without milliseconds', () => {
    const key = keyRecord({
      userName: 'old-alice',
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      createdAt: new Date('2026-05-03T09:08:07.654Z'),
      lastUsedAt: new Date('2026-11-20T10:11:12.345Z'),
      lastUsedService: 's3'
    })
    expect(toFinding(ACCOUNT, key, 'stale', NOW)).toEqual({
      accountId: ACCOUNT,
      kind: 'stale',
      severity: 'high',
      userName: 'old-alice',
      userArn: 'arn:aws:iam::123456789012:user/old-alice',
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      status: 'Active',
      createdAt: '2026-05-03T09:08:07Z',
      ageDays: 205,
      lastUsedAt: '2026-11-20T10:11:12Z',
      lastUsedService: 's3',
      exempt: false,
      exemptReason: null
    })
  })

  it('maps every kind to its severity and keeps a missing last use as null', () => {
    const key = keyRecord({ lastUsedAt: null })
    expect(toFinding(ACCOUNT, key, 'root-key', NOW)).toMatchObject({ severity: 'critical', lastUsedAt: null })
    expect(toFinding(ACCOUNT, key, 'unused', NOW).severity).toBe('medium')
    expect(toFinding(ACCOUNT, key, 'expiring', NOW).severity).toBe('low')
    expect(toFinding(ACCOUNT, key, 'inactive', NOW).severity).toBe('low')
  })
})

describe('evaluate', () => {
  const all = policy({ warnKeyAgeDays: 60, maxUnusedDays: 45 })

  it('returns one finding per breaking key, most severe first, then oldest first; healthy keys are left out', () => {
    const keys = [
      inactive(400, { userName: 'gone', accessKeyId: 'AKIAINACTIVE00000001' }),
      active(10, { userName: 'fresh', accessKeyId: 'AKIAHEALTHY000000001', lastUsedAt: daysAgo(1) }),
      active(65, { userName: 'soon', accessKeyId: 'AKIAEXPIRING00000001', lastUsedAt: daysAgo(2) }),
      active(95, { userName: 'bob', accessKeyId: 'AKIASTALE00000000095' }),
      active(50, { userName: 'idle', accessKeyId: 'AKIAUNUSED0000000001' }),
      active(5, { userName: '<root_account>', accessKeyId: null, isRoot: true }),
      active(200, { userName: 'alice', accessKeyId: 'AKIASTALE00000000200' }),
      inactive(30, { userName: 'recent-off', accessKeyId: 'AKIAINACTIVE00000002' })
    ]
    const findings = evaluate(ACCOUNT, keys, all, NOW)
    expect(findings.map((f) => [f.kind, f.userName, f.ageDays])).toEqual([
      ['root-key', '<root_account>', 5],
      ['stale', 'alice', 200],
      ['stale', 'bob', 95],
      ['unused', 'idle', 50],
      ['expiring', 'soon', 65],
      ['inactive', 'gone', 400]
    ])
    expect(findings.every((f) => f.accountId === ACCOUNT && f.exempt === false)).toBe(true)
  })

  it('breaks ties of kind and age by user name, then key id', () => {
    const keys = [
      active(100, { userName: 'carol', accessKeyId: 'AKIAB000000000000000' }),
      active(100, { userName: 'carol', accessKeyId: 'AKIAA000000000000000' }),
      active(100, { userName: 'alice', accessKeyId: 'AKIAZ000000000000000' })
    ]
    expect(evaluate(ACCOUNT, keys, policy(), NOW).map((f) => f.accessKeyId)).toEqual([
      'AKIAZ000000000000000',
      'AKIAA000000000000000',
      'AKIAB000000000000000'
    ])
  })

  it('is empty when every key is within policy', () => {
    expect(
      evaluate(ACCOUNT, [active(0, { userName: 'a' }), active(89, { userName: 'b' }), inactive(89, { userName: 'b' })], policy(), NOW)
    ).toEqual([])
    expect(evaluate(ACCOUNT, [], policy(), NOW)).toEqual([])
  })
})

describe('classifyKey: setup-key (CIS 1.11)', () => {
  const HOUR = 3_600_000
  const userAt = daysAgo(10)
  /** An active key of a console user made `ms` after the user, never used. */
  const setup = (ms: number, overrides: Partial<KeyRecord> = {}) =>
    keyRecord({ userCreatedAt: userAt, createdAt: new Date(userAt.getTime() + ms), passwordEnabled: true, lastUsedAt: null, ...overrides })

  it('is a key made within 24 hours of its user (exactly 24 hours included), never used, on a console user', () => {
    expect(classifyKey(setup(0), policy(), NOW)).toBe('setup-key')
    expect(classifyKey(setup(5_000), policy(), NOW)).toBe('setup-key')
    expect(classifyKey(setup(24 * HOUR), policy(), NOW)).toBe('setup-key')
    expect(classifyKey(setup(24 * HOUR + 1_000), policy(), NOW)).toBeNull()
    expect(classifyKey(setup(30 * 24 * HOUR), policy(), NOW)).toBeNull()
  })

  it('is not a key used once, however long ago', () => {
    expect(classifyKey(setup(60_000, { lastUsedAt: daysAgo(9), lastUsedService: 's3' }), policy(), NOW)).toBeNull()
  })

  it('needs a console password: disabled or not known is no finding', () => {
    expect(classifyKey(setup(60_000, { passwordEnabled: false }), policy(), NOW)).toBeNull()
    expect(classifyKey(setup(60_000, { passwordEnabled: null }), policy(), NOW)).toBeNull()
    expect(classifyKey(setup(60_000, { passwordEnabled: undefined }), policy(), NOW)).toBeNull()
  })

  it('needs the user creation time', () => {
    expect(classifyKey(setup(60_000, { userCreatedAt: null }), policy(), NOW)).toBeNull()
  })

  it('is not an inactive key, nor a root key', () => {
    expect(classifyKey(setup(60_000, { status: 'Inactive' }), policy(), NOW)).toBeNull()
    expect(classifyKey(setup(60_000, { isRoot: true, accessKeyId: null }), policy(), NOW)).toBe('root-key')
  })

  it('gives way to stale and unused, and comes before expiring', () => {
    const old = keyRecord({ userCreatedAt: daysAgo(100), createdAt: daysAgo(100), passwordEnabled: true })
    expect(classifyKey(old, policy(), NOW)).toBe('stale')
    const idle = keyRecord({ userCreatedAt: daysAgo(50), createdAt: daysAgo(50), passwordEnabled: true })
    expect(classifyKey(idle, policy({ maxUnusedDays: 45 }), NOW)).toBe('unused')
    expect(classifyKey(idle, policy({ warnKeyAgeDays: 30 }), NOW)).toBe('setup-key')
  })
})

describe('classifyKeys: two-active-keys (CIS 1.13)', () => {
  const older = (overrides: Partial<KeyRecord> = {}) => active(20, { accessKeyId: 'AKIAOLDER00000000001', lastUsedAt: daysAgo(1), ...overrides })
  const newer = (overrides: Partial<KeyRecord> = {}) => active(2, { accessKeyId: 'AKIANEWER00000000001', lastUsedAt: daysAgo(1), ...overrides })

  it('puts the finding on the older of two active keys, whichever is listed first', () => {
    expect(classifyKeys([older(), newer()], policy(), NOW)).toEqual(['two-active-keys', null])
    expect(classifyKeys([newer(), older()], policy(), NOW)).toEqual([null, 'two-active-keys'])
  })

  it('is no finding when one of the keys is inactive, or the keys are two users\'', () => {
    expect(classifyKeys([older({ status: 'Inactive' }), newer()], policy(), NOW)).toEqual([null, null])
    expect(classifyKeys([older(), newer({ userName: 'bob', userArn: `arn:aws:iam::${ACCOUNT}:user/bob` })], policy(), NOW)).toEqual([null, null])
  })

  it('keeps a more severe kind on the older key, and then no two-active-keys finding at all', () => {
    expect(classifyKeys([older({ createdAt: daysAgo(120) }), newer()], policy(), NOW)).toEqual(['stale', null])
    expect(classifyKeys([older({ lastUsedAt: daysAgo(50) }), newer()], policy({ maxUnusedDays: 45 }), NOW)).toEqual(['unused', null])
    const console = { passwordEnabled: true, userCreatedAt: daysAgo(20), lastUsedAt: null }
    expect(classifyKeys([older(console), newer()], policy(), NOW)).toEqual(['setup-key', null])
  })

  it('takes the place of a less severe kind (expiring) on the older key; the newer key keeps its own', () => {
    const warn = policy({ warnKeyAgeDays: 15, maxUnusedDays: 10 })
    expect(classifyKeys([older(), newer({ createdAt: daysAgo(12), lastUsedAt: null })], warn, NOW)).toEqual(['two-active-keys', 'unused'])
  })

  it('never applies to the root user\'s keys', () => {
    const root = { isRoot: true, accessKeyId: null, userName: '<root_account>', userArn: `arn:aws:iam::${ACCOUNT}:root` }
    expect(classifyKeys([older(root), newer(root)], policy(), NOW)).toEqual(['root-key', 'root-key'])
  })

  it('evaluate gives one finding per key, of its most severe kind, with its controls', () => {
    const findings = evaluate(ACCOUNT, [newer(), older()], policy(), NOW)
    expect(findings.map((f) => [f.kind, f.severity, f.accessKeyId, f.controls])).toEqual([
      ['two-active-keys', 'low', 'AKIAOLDER00000000001', ['CIS 1.13']]
    ])
  })
})

describe('sortFindings', () => {
  it('orders by kind, then age (oldest first), then account, and does not change its input', () => {
    const input = [
      finding({ kind: 'inactive', ageDays: 900, accountId: '111111111111' }),
      finding({ kind: 'stale', ageDays: 100, accountId: '222222222222' }),
      finding({ kind: 'stale', ageDays: 100, accountId: '111111111111' }),
      finding({ kind: 'stale', ageDays: 300, accountId: '222222222222' }),
      finding({ kind: 'root-key', ageDays: 1, accessKeyId: null })
    ]
    const copy = [...input]
    expect(sortFindings(input).map((f) => `${f.kind}/${f.ageDays}/${f.accountId}`)).toEqual([
      'root-key/1/123456789012',
      'stale/300/222222222222',
      'stale/100/111111111111',
      'stale/100/222222222222',
      'inactive/900/111111111111'
    ])
    expect(input).toEqual(copy)
  })
})

describe('isRootFinding', () => {
  it('knows a root key by its kind or by the root ARN (an inactive root key is of kind inactive)', () => {
    expect(isRootFinding(finding({ kind: 'root-key' }))).toBe(true)
    expect(isRootFinding(finding({ kind: 'inactive', userArn: `arn:aws:iam::${ACCOUNT}:root` }))).toBe(true)
    expect(isRootFinding(finding({ kind: 'stale' }))).toBe(false)
  })
})
