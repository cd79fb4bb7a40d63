import { describe, expect, it } from '@jest/globals'
import {
  applyExemptions,
  matchesEveryName,
  matchingPattern,
  parseIsoDate,
  sweepingExemption,
  readExemptTag,
  usersNeedingTags,
  type ExemptionRules
} from '../../../src/core/exemptions.js'
import { SEVERITY, type Finding, type FindingKind } from '../../../src/core/model.js'
import { NOW } from '../helpers.js'

const ACCOUNT = '123456789012'
const TAG = 'key-sentry:exempt'

/** A finding for one key of `userName`; `n` makes the key id unique. */
function finding(userName: string, n = 1, kind: FindingKind = 'stale'): Finding {
  return {
    accountId: ACCOUNT,
    kind,
    severity: SEVERITY[kind],
    userName,
    userArn: `arn:aws:iam::${ACCOUNT}:user/${userName}`,
    accessKeyId: `AKIA${userName.toUpperCase().replace(/[^A-Z0-9]/g, 'X').padEnd(15, '0').slice(0, 15)}${n}`,
    status: 'Active',
    createdAt: '2026-05-08T09:15:30Z',
    ageDays: 200,
    lastUsedAt: null,
    lastUsedService: null,
    exempt: false,
    exemptReason: null
  }
}

function rootFinding(): Finding {
  return {
    ...finding('<root_account>', 1, 'root-key'),
    userArn: `arn:aws:iam::${ACCOUNT}:root`,
    accessKeyId: null
  }
}

const notUnderstood = (value: string) =>
  `tag ${TAG}="${value}" is neither true nor a date (YYYY-MM-DD), so it exempts nothing`

describe('parseIsoDate', () => {
  it('returns midnight UTC of a real calendar date', () => {
    expect(parseIsoDate('2026-12-31')).toEqual(new Date('2026-12-31T00:00:00.000Z'))
    expect(parseIsoDate('2026-01-01')).toEqual(new Date('2026-01-01T00:00:00.000Z'))
  })

  it('accepts 29 February in a leap year only', () => {
    expect(parseIsoDate('2028-02-29')).toEqual(new Date('2028-02-29T00:00:00.000Z'))
    expect(parseIsoDate('2000-02-29')).toEqual(new Date('2000-02-29T00:00:00.000Z'))
    expect(parseIsoDate('2027-02-29')).toBeNull()
    expect(parseIsoDate('2100-02-29')).toBeNull()
  })

  it.each(['2026-02-30', '2026-13-01', '2026-00-10', '2026-12-00', '2026-04-31', '2026-12-32'])(
    'rejects the impossible date %s',
    (value) => {
      expect(parseIsoDate(value)).toBeNull()
    }
  )

  it.each(['2026/12/31', '2026-1-5', '26-12-31', '2026-12-31T00:00:00Z', ' 2026-12-31', '2026-12-31 ', '', 'true', '31-12-2026'])(
    'rejects %j, which is not YYYY-MM-DD',
    (value) => {
      expect(parseIsoDate(value)).toBeNull()
    }
  )
})

describe('readExemptTag', () => {
  it.each(['true', 'TRUE', 'True', ' true '])('%j exempts without an end', (value) => {
    expect(readExemptTag(TAG, value, NOW)).toEqual({ exempt: true, reason: `tag ${TAG}=true` })
  })

  it('names the tag key it was given in the reason', () => {
    expect(readExemptTag('sentry-skip', 'true', NOW)).toEqual({ exempt: true, reason: 'tag sentry-skip=true' })
  })

  it('a date in the future exempts until that date', () => {
    expect(readExemptTag(TAG, '2026-12-31', NOW)).toEqual({ exempt: true, reason: `tag ${TAG} until 2026-12-31` })
    expect(readExemptTag(TAG, '2026-11-25', NOW)).toEqual({ exempt: true, reason: `tag ${TAG} until 2026-11-25` })
  })

  it('today still exempts, through the whole UTC day', () => {
    expect(readExemptTag(TAG, '2026-11-24', NOW)).toEqual({ exempt: true, reason: `tag ${TAG} until 2026-11-24` })
    expect(readExemptTag(TAG, '2026-11-24', new Date('2026-11-24T00:00:00.000Z'))).toEqual({
      exempt: true,
      reason: `tag ${TAG} until 2026-11-24`
    })
    expect(readExemptTag(TAG, '2026-11-24', new Date('2026-11-24T23:59:59.999Z'))).toEqual({
      exempt: true,
      reason: `tag ${TAG} until 2026-11-24`
    })
  })

  it('a past date no longer exempts, and is not a problem', () => {
    expect(readExemptTag(TAG, '2026-11-23', NOW)).toEqual({ exempt: false, problem: null })
    expect(readExemptTag(TAG, '2025-12-31', NOW)).toEqual({ exempt: false, problem: null })
  })

  it('ends exactly at the UTC midnight after the date', () => {
    expect(readExemptTag(TAG, '2026-12-31', new Date('2026-12-31T23:59:59Z'))).toEqual({
      exempt: true,
      reason: `tag ${TAG} until 2026-12-31`
    })
    expect(readExemptTag(TAG, '2026-12-31', new Date('2027-01-01T00:00:00Z'))).toEqual({ exempt: false, problem: null })
    expect(readExemptTag(TAG, '2026-11-23', new Date('2026-11-24T00:00:00Z'))).toEqual({ exempt: false, problem: null })
    expect(readExemptTag(TAG, '2026-11-23', new Date('2026-11-23T23:59:59.999Z'))).toEqual({
      exempt: true,
      reason: `tag ${TAG} until 2026-11-23`
    })
  })

  it('a date with surrounding spaces is read as that date', () => {
    expect(readExemptTag(TAG, ' 2026-12-31 ', NOW)).toEqual({ exempt: true, reason: `tag ${TAG} until 2026-12-31` })
  })

  it.each(['maybe', '2026/12/31', '', 'yes', '1', 'false', '2026-02-30', 'true-ish', '31.12.2026'])(
    '%j exempts nothing, and the problem names the tag and the value',
    (value) => {
      expect(readExemptTag(TAG, value, NOW)).toEqual({ exempt: false, problem: notUnderstood(value) })
    }
  )

  it('quotes the value as it was written', () => {
    expect(readExemptTag(TAG, ' maybe ', NOW)).toEqual({ exempt: false, problem: notUnderstood(' maybe ') })
  })

  it('an untagged user is not exempt, and that is not a problem', () => {
    expect(readExemptTag(TAG, undefined, NOW)).toEqual({ exempt: false, problem: null })
  })
})

describe('matchingPattern', () => {
  const PATTERNS = ['deploy-bot', 'svc-*', 'build-?', 'ci-[ab]*']

  it.each([
    ['deploy-bot', 'deploy-bot'],
    ['Deploy-Bot', 'deploy-bot'],
    ['svc-deploy', 'svc-*'],
    ['SVC-Deploy', 'svc-*'],
    ['svc-a.b@example.com', 'svc-*'],
    ['build-7', 'build-?'],
    ['BUILD-x', 'build-?'],
    ['ci-alpha', 'ci-[ab]*'],
    ['ci-beta', 'ci-[ab]*'],
    ['CI-Alpha', 'ci-[ab]*']
  ])('%s matches %s', (name, pattern) => {
    expect(matchingPattern(name, PATTERNS)).toBe(pattern)
  })

  it.each(['my-svc-x', 'svc', 'deploy-bot2', 'old-deploy-bot', 'build-10', 'build-', 'ci-gamma', 'ci', 'alice'])(
    '%s matches nothing (no partial matches)',
    (name) => {
      expect(matchingPattern(name, PATTERNS)).toBeNull()
    }
  )

  it('returns the first pattern that matches', () => {
    expect(matchingPattern('svc-deploy', ['svc-deploy', 'svc-*'])).toBe('svc-deploy')
    expect(matchingPattern('svc-deploy', ['svc-*', 'svc-deploy'])).toBe('svc-*')
  })

  it('takes the characters IAM allows in a user name literally', () => {
    expect(matchingPattern('alice+ci@example.com', ['alice+ci@example.com'])).toBe('alice+ci@example.com')
    expect(matchingPattern('a=b,c.d_e', ['a=b,c.d_e'])).toBe('a=b,c.d_e')
    expect(matchingPattern('alice.ci', ['alice_ci'])).toBeNull()
  })

  it('matches nothing without patterns', () => {
    expect(matchingPattern('svc-deploy', [])).toBeNull()
  })
})

describe('usersNeedingTags', () => {
  const findings = [
    rootFinding(),
    finding('alice', 1),
    finding('svc-deploy', 1),
    finding('bob', 1),
    finding('alice', 2, 'inactive'),
    finding('SVC-Build', 1),
    finding('carol', 1, 'expiring')
  ]

  it('is empty when no tag is read', () => {
    expect(usersNeedingTags(findings, { userPatterns: [], tagKey: null })).toEqual([])
    expect(usersNeedingTags(findings, { userPatterns: ['svc-*'], tagKey: null })).toEqual([])
  })

  it('lists each user with findings once, in order, without the root user and the users exempt by name', () => {
    expect(usersNeedingTags(findings, { userPatterns: ['svc-*'], tagKey: TAG })).toEqual(['alice', 'bob', 'carol'])
  })

  it('lists every IAM user when no name is exempt', () => {
    expect(usersNeedingTags(findings, { userPatterns: [], tagKey: TAG })).toEqual([
      'alice',
      'svc-deploy',
      'bob',
      'SVC-Build',
      'carol'
    ])
  })

  it('is empty without findings', () => {
    expect(usersNeedingTags([], { userPatterns: [], tagKey: TAG })).toEqual([])
  })
})

describe('applyExemptions', () => {
  const RULES: ExemptionRules = { userPatterns: ['svc-*', 'deploy-bot'], tagKey: TAG }

  it('never exempts a root access key, not even with a glob that matches every name', () => {
    const root = rootFinding()
    const out = applyExemptions([root], { userPatterns: ['*'], tagKey: TAG }, new Map([['<root_account>', 'true']]), NOW)
    expect(out.findings).toEqual([root])
    expect(out.notes).toEqual([])
  })

  it('marks exemptions by name and by tag, leaves the rest, and notes bad values once per user', () => {
    const input = [
      finding('svc-deploy', 1),
      finding('deploy-bot', 1),
      finding('bob', 1),
      finding('carol', 1),
      finding('dave', 1),
      finding('dave', 2, 'inactive'),
      finding('erin', 1),
      finding('frank', 1),
      finding('gina', 1)
    ]
    const tags = new Map<string, string | undefined>([
      ['svc-deploy', 'maybe'], // exempt by name: the bad tag is not even looked at
      ['deploy-bot', 'true'],
      ['bob', 'TRUE'],
      ['carol', '2026-12-31'],
      ['dave', 'maybe'],
      ['erin', undefined],
      ['frank', '2026-11-23'],
      ['gina', '2026/12/31']
    ])
    const snapshot = structuredClone(input)

    const out = applyExemptions(input, RULES, tags, NOW)

    expect(out.findings).toEqual([
      { ...finding('svc-deploy', 1), exempt: true, exemptReason: 'exempt-users svc-*' },
      { ...finding('deploy-bot', 1), exempt: true, exemptReason: 'exempt-users deploy-bot' },
      { ...finding('bob', 1), exempt: true, exemptReason: `tag ${TAG}=true` },
      { ...finding('carol', 1), exempt: true, exemptReason: `tag ${TAG} until 2026-12-31` },
      finding('dave', 1),
      finding('dave', 2, 'inactive'),
      finding('erin', 1),
      finding('frank', 1),
      finding('gina', 1)
    ])
    expect(out.notes).toEqual([`user dave: ${notUnderstood('maybe')}`, `user gina: ${notUnderstood('2026/12/31')}`])
    // The input list is not changed.
    expect(input).toEqual(snapshot)
  })

  it('a name exemption wins over a tag exemption', () => {
    const out = applyExemptions([finding('svc-deploy')], RULES, new Map([['svc-deploy', '2026-12-31']]), NOW)

    expect(out.findings).toEqual([{ ...finding('svc-deploy'), exempt: true, exemptReason: 'exempt-users svc-*' }])
    expect(out.notes).toEqual([])
  })

  it('names the first matching pattern as written, whatever the case of the user name', () => {
    const out = applyExemptions([finding('SVC-Deploy')], RULES, new Map(), NOW)

    expect(out.findings).toEqual([{ ...finding('SVC-Deploy'), exempt: true, exemptReason: 'exempt-users svc-*' }])
  })

  it('leaves findings that are not exempt exactly as they were', () => {
    const input = [finding('alice', 1), finding('alice', 2, 'unused'), rootFinding()]

    const out = applyExemptions(input, RULES, new Map([['alice', undefined]]), NOW)

    expect(out.findings).toEqual([finding('alice', 1), finding('alice', 2, 'unused'), rootFinding()])
    for (const f of out.findings) {
      expect(f.exempt).toBe(false)
      expect(f.exemptReason).toBeNull()
    }
    expect(out.notes).toEqual([])
  })

  it('a dated tag stops exempting after its day', () => {
    const tags = new Map([['carol', '2026-12-31']])

    const lastSecond = applyExemptions([finding('carol')], RULES, tags, new Date('2026-12-31T23:59:59Z'))
    const nextDay = applyExemptions([finding('carol')], RULES, tags, new Date('2027-01-01T00:00:00Z'))

    expect(lastSecond.findings).toEqual([{ ...finding('carol'), exempt: true, exemptReason: `tag ${TAG} until 2026-12-31` }])
    expect(nextDay.findings).toEqual([finding('carol')])
    expect(nextDay.notes).toEqual([])
  })

  it('ignores tags when no tag key is configured, but still exempts by name', () => {
    const tags = new Map([
      ['bob', 'true'],
      ['dave', 'maybe']
    ])

    const out = applyExemptions([finding('svc-x'), finding('bob'), finding('dave')], { ...RULES, tagKey: null }, tags, NOW)

    expect(out.findings).toEqual([
      { ...finding('svc-x'), exempt: true, exemptReason: 'exempt-users svc-*' },
      finding('bob'),
      finding('dave')
    ])
    expect(out.notes).toEqual([])
  })

  it('reads the tag value of each finding’s own user', () => {
    const out = applyExemptions(
      [finding('bob'), finding('carol')],
      { userPatterns: [], tagKey: 'sentry-skip' },
      new Map([['carol', 'true']]),
      NOW
    )

    expect(out.findings).toEqual([finding('bob'), { ...finding('carol'), exempt: true, exemptReason: 'tag sentry-skip=true' }])
  })

  it('does nothing to an empty list', () => {
    expect(applyExemptions([], RULES, new Map([['bob', 'maybe']]), NOW)).toEqual({ findings: [], notes: [] })
  })
})

describe('matchesEveryName', () => {
  it.each(['*', '**', '?*', '*?', '***'])('is true for %s', (pattern) => {
    expect(matchesEveryName(pattern)).toBe(true)
  })

  it.each(['svc-*', '*-bot', '[a-z]*', '?', 'a*', '*.*'])('is false for %s', (pattern) => {
    expect(matchesEveryName(pattern)).toBe(false)
  })
})

describe('sweepingExemption', () => {
  const CATCH_ALL = (n: string) =>
    `exempt-users "*" matches every user name: every user with findings is exempt (${n}), never counted or failed on; ` +
    'name the users to exempt instead, or set fail-on: none to report without failing'

  it('is null without patterns, without findings, or when a pattern exempts only some users', () => {
    expect(sweepingExemption([finding('alice'), finding('bob')], [])).toBeNull()
    expect(sweepingExemption([], ['*'])).toBeNull()
    expect(sweepingExemption([finding('svc-a'), finding('alice')], ['svc-*'])).toBeNull()
  })

  it('warns about a catch-all pattern as soon as it exempts one user', () => {
    expect(sweepingExemption([finding('alice'), finding('alice', 2)], ['svc-*', '*'])).toBe(CATCH_ALL('1 user'))
    expect(sweepingExemption([finding('alice'), finding('bob')], ['*'])).toBe(CATCH_ALL('2 users'))
  })

  it('is null for a catch-all pattern when the only finding is a root key, which it cannot exempt', () => {
    expect(sweepingExemption([rootFinding()], ['*'])).toBeNull()
  })

  it('warns when narrower patterns exempt every one of two or more users with findings, naming the patterns used', () => {
    const findings = [finding('svc-a'), finding('svc-b'), finding('ci-bot'), finding('ci-bot', 2, 'inactive'), rootFinding()]
    expect(sweepingExemption(findings, ['svc-*', 'ci-*', 'unused-*'])).toBe(
      'exempt-users "svc-*", "ci-*" exempts every user with findings (3 users): none is counted or failed on; ' +
        'check that the patterns are not broader than meant'
    )
  })

  it('does not warn when the one user with findings is exempt by a narrow pattern', () => {
    expect(sweepingExemption([finding('svc-a'), finding('svc-a', 2)], ['svc-*'])).toBeNull()
  })
})
