import { describe, expect, it } from '@jest/globals'
import { decide, lastUse, usedWithin, type DecideOptions, type LiveKey } from '../../../src/core/remediation-checks.js'
import { REMEDIATION_VERBS } from '../../../src/core/remediation-commands.js'
import { ACCOUNT, OTHER_ACCOUNT } from '../helpers.js'

const NOW = new Date('2026-12-03T10:00:00Z')
const OPTIONS: DecideOptions = { force: false, quietDays: 7, now: NOW, deactivatedByAction: false }

function live(overrides: Partial<LiveKey> = {}): LiveKey {
  return {
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    accountId: ACCOUNT,
    userName: 'svc-deploy',
    isRoot: false,
    status: 'Active',
    createdAt: new Date('2025-01-01T00:00:00Z'),
    lastUsedAt: new Date('2026-10-01T08:00:00Z'),
    lastUsedService: 'iam',
    exemptReason: null,
    ...overrides
  }
}

/** Used on the UTC day `days` days before NOW, at 23:59 (whole days count, not hours). */
const usedDaysAgo = (days: number, service: string | null = 's3') =>
  live({ lastUsedAt: new Date(Date.UTC(2026, 11, 3 - days, 23, 59)), lastUsedService: service })

describe('lastUse', () => {
  it('says the day and the service, the day alone, or never used', () => {
    expect(lastUse(live())).toBe('last used 2026-10-01 (iam)')
    expect(lastUse(live({ lastUsedService: null }))).toBe('last used 2026-10-01')
    expect(lastUse(live({ lastUsedAt: null, lastUsedService: null }))).toBe('never used')
  })
})

describe('usedWithin', () => {
  it('counts whole UTC days: with 7, used 6 days ago is recent, 7 days ago is quiet', () => {
    expect(usedWithin(usedDaysAgo(0), 7, NOW)).toBe(true)
    expect(usedWithin(usedDaysAgo(6), 7, NOW)).toBe(true)
    expect(usedWithin(usedDaysAgo(7), 7, NOW)).toBe(false)
    // 23:59 the day before is one day ago, not hours ago.
    expect(usedWithin(live({ lastUsedAt: new Date('2026-11-26T23:59:59Z') }), 7, NOW)).toBe(false)
    expect(usedWithin(live({ lastUsedAt: new Date('2026-11-27T00:00:00Z') }), 7, NOW)).toBe(true)
  })

  it('takes a key never used for quiet, and a use in the future (clock skew) for today', () => {
    expect(usedWithin(live({ lastUsedAt: null }), 7, NOW)).toBe(false)
    expect(usedWithin(live({ lastUsedAt: new Date('2026-12-05T00:00:00Z') }), 7, NOW)).toBe(true)
  })

  it('takes every key for quiet with 0 quiet days', () => {
    expect(usedWithin(usedDaysAgo(0), 0, NOW)).toBe(false)
  })
})

describe('decide: the checks every verb makes', () => {
  it.each(REMEDIATION_VERBS)('/%s refuses a key not found in the account', (verb) => {
    expect(decide(verb, OPTIONS, null, ACCOUNT)).toEqual({
      kind: 'refused',
      check: 'exists',
      reason: `not found in account ${ACCOUNT}: it is another account's key, or it was deleted`
    })
  })

  it.each(REMEDIATION_VERBS)("/%s refuses another account's key", (verb) => {
    expect(decide(verb, OPTIONS, live({ accountId: OTHER_ACCOUNT }), ACCOUNT)).toEqual({
      kind: 'refused',
      check: 'account',
      reason: `belongs to account ${OTHER_ACCOUNT}, not to this issue's account ${ACCOUNT}; last used 2026-10-01 (iam)`
    })
  })

  it.each(REMEDIATION_VERBS)("/%s never touches the root user's key, whatever its status, --force or not", (verb) => {
    for (const status of ['Active', 'Inactive'] as const) {
      const decision = decide(verb, { ...OPTIONS, force: true, deactivatedByAction: true }, live({ isRoot: true, status, userName: '<root_account>' }), ACCOUNT)
      expect(decision).toEqual({ kind: 'refused', check: 'root', reason: "the root user's keys are never touched; last used 2026-10-01 (iam)" })
    }
  })

  it.each(REMEDIATION_VERBS)('/%s refuses an exempt key, naming why it is exempt', (verb) => {
    const decision = decide(verb, { ...OPTIONS, force: true }, live({ exemptReason: 'exempt-users svc-*', lastUsedAt: null }), ACCOUNT)
    expect(decision).toEqual({ kind: 'refused', check: 'exempt', reason: 'the key is exempt (exempt-users svc-*); never used' })
  })

  it('checks in order: account before root before exempt', () => {
    const all = live({ accountId: OTHER_ACCOUNT, isRoot: true, exemptReason: 'tag' })
    expect(decide('deactivate', OPTIONS, all, ACCOUNT)).toMatchObject({ check: 'account' })
    expect(decide('deactivate', OPTIONS, { ...all, accountId: ACCOUNT }, ACCOUNT)).toMatchObject({ check: 'root' })
    expect(decide('deactivate', OPTIONS, { ...all, accountId: ACCOUNT, isRoot: false }, ACCOUNT)).toMatchObject({ check: 'exempt' })
  })
})

describe('decide: /deactivate', () => {
  it('deactivates an active key unused for the quiet days', () => {
    expect(decide('deactivate', OPTIONS, usedDaysAgo(7), ACCOUNT)).toEqual({ kind: 'act', verb: 'deactivate', from: 'Active', to: 'Inactive' })
    expect(decide('deactivate', OPTIONS, live({ lastUsedAt: null, lastUsedService: null }), ACCOUNT)).toMatchObject({ kind: 'act' })
  })

  it('leaves an inactive key as it is: a second run on the same comment changes nothing', () => {
    expect(decide('deactivate', OPTIONS, live({ status: 'Inactive' }), ACCOUNT)).toEqual({
      kind: 'unchanged',
      reason: 'already inactive; last used 2026-10-01 (iam)'
    })
    // Used today and inactive (someone deactivated it since): unchanged too, --force or not.
    expect(decide('deactivate', { ...OPTIONS, force: true }, { ...usedDaysAgo(0, 'ec2'), status: 'Inactive' }, ACCOUNT)).toEqual({
      kind: 'unchanged',
      reason: 'already inactive; last used 2026-12-03 (ec2)'
    })
  })

  it('refuses a key used within the quiet days, and says when and how to force it', () => {
    expect(decide('deactivate', OPTIONS, usedDaysAgo(1), ACCOUNT)).toEqual({
      kind: 'refused',
      check: 'quiet',
      reason: 'used 1 day ago (2026-12-02, s3); add --force to deactivate it anyway (remediation-quiet-days is 7)'
    })
    expect(decide('deactivate', OPTIONS, usedDaysAgo(0, null), ACCOUNT)).toMatchObject({
      reason: 'used today (2026-12-03); add --force to deactivate it anyway (remediation-quiet-days is 7)'
    })
    expect(decide('deactivate', OPTIONS, usedDaysAgo(6), ACCOUNT)).toMatchObject({ reason: expect.stringMatching(/^used 6 days ago \(2026-11-27, s3\);/) })
  })

  it('deactivates a recently used key with --force', () => {
    expect(decide('deactivate', { ...OPTIONS, force: true }, usedDaysAgo(0), ACCOUNT)).toEqual({ kind: 'act', verb: 'deactivate', from: 'Active', to: 'Inactive' })
  })

  it('follows remediation-quiet-days', () => {
    expect(decide('deactivate', { ...OPTIONS, quietDays: 30 }, usedDaysAgo(20), ACCOUNT)).toMatchObject({ kind: 'refused', check: 'quiet' })
    expect(decide('deactivate', { ...OPTIONS, quietDays: 1 }, usedDaysAgo(1), ACCOUNT)).toMatchObject({ kind: 'act' })
    expect(decide('deactivate', { ...OPTIONS, quietDays: 0 }, usedDaysAgo(0), ACCOUNT)).toMatchObject({ kind: 'act' })
  })
})

describe('decide: /delete', () => {
  it('deletes an inactive key unused for the quiet days', () => {
    expect(decide('delete', OPTIONS, live({ status: 'Inactive' }), ACCOUNT)).toEqual({ kind: 'act', verb: 'delete', from: 'Inactive', to: 'deleted' })
    expect(decide('delete', OPTIONS, live({ status: 'Inactive', lastUsedAt: null }), ACCOUNT)).toMatchObject({ kind: 'act' })
  })

  it('refuses an active key: deactivate it first', () => {
    expect(decide('delete', OPTIONS, live(), ACCOUNT)).toEqual({
      kind: 'refused',
      check: 'inactive-first',
      reason: 'the key is active: deactivate it first, and delete it once it stays unused; last used 2026-10-01 (iam)'
    })
  })

  it('refuses a key used within the quiet days, and --force does not help', () => {
    const recent = { ...usedDaysAgo(2), status: 'Inactive' as const }
    const expected = {
      kind: 'refused',
      check: 'quiet',
      reason: 'used 2 days ago (2026-12-01, s3); a key is deleted only once unused for 7 days (remediation-quiet-days), --force or not'
    }
    expect(decide('delete', OPTIONS, recent, ACCOUNT)).toEqual(expected)
    expect(decide('delete', { ...OPTIONS, force: true }, recent, ACCOUNT)).toEqual(expected)
  })

  it('refuses a key already deleted (a second run): it is not found', () => {
    expect(decide('delete', OPTIONS, null, ACCOUNT)).toMatchObject({ kind: 'refused', check: 'exists' })
  })
})

describe('decide: /reactivate', () => {
  const ours = { ...OPTIONS, deactivatedByAction: true }

  it('reactivates an inactive key this action deactivated', () => {
    expect(decide('reactivate', ours, live({ status: 'Inactive' }), ACCOUNT)).toEqual({ kind: 'act', verb: 'reactivate', from: 'Inactive', to: 'Active' })
  })

  it('reactivates it even when used lately: the quiet days do not apply', () => {
    expect(decide('reactivate', ours, { ...usedDaysAgo(0), status: 'Inactive' }, ACCOUNT)).toMatchObject({ kind: 'act' })
  })

  it('leaves an active key as it is', () => {
    expect(decide('reactivate', OPTIONS, live(), ACCOUNT)).toEqual({ kind: 'unchanged', reason: 'already active; last used 2026-10-01 (iam)' })
  })

  it('refuses a key this action did not deactivate', () => {
    expect(decide('reactivate', OPTIONS, live({ status: 'Inactive', lastUsedAt: null }), ACCOUNT)).toEqual({
      kind: 'refused',
      check: 'ours',
      reason: "only a key this action deactivated is reactivated, and the issue's record has no such deactivation of this key; never used"
    })
  })
})

describe('decide: every refusal', () => {
  it("says the key's last use, wherever the key was found", () => {
    const keys = [live(), live({ status: 'Inactive' }), usedDaysAgo(1), { ...usedDaysAgo(1), status: 'Inactive' as const }, live({ lastUsedAt: null })]
    const variants = [
      (k: LiveKey) => k,
      (k: LiveKey) => ({ ...k, accountId: OTHER_ACCOUNT }),
      (k: LiveKey) => ({ ...k, isRoot: true }),
      (k: LiveKey) => ({ ...k, exemptReason: 'tag key-sentry:exempt=true' })
    ]
    let refusals = 0
    for (const verb of REMEDIATION_VERBS) {
      for (const key of keys) {
        for (const variant of variants) {
          const k = variant(key)
          const d = decide(verb, OPTIONS, k, ACCOUNT)
          if (d.kind !== 'refused') continue
          refusals++
          const day = k.lastUsedAt?.toISOString().slice(0, 10)
          expect(d.reason).toContain(day ? `${day}` : 'never used')
          if (day && k.lastUsedService) expect(d.reason).toContain(k.lastUsedService)
        }
      }
    }
    expect(refusals).toBeGreaterThan(40)
  })
})
