import {
  GenerateCredentialReportCommand,
  GetAccessKeyLastUsedCommand,
  GetAccountAuthorizationDetailsCommand,
  GetCredentialReportCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListUsersCommand,
  ListUserTagsCommand,
  type AccessKeyMetadata,
  type ListAccessKeysCommandInput,
  type ListUserTagsCommandInput,
  type Tag
} from '@aws-sdk/client-iam'
import { GetCallerIdentityCommand, STSClient, STSServiceException } from '@aws-sdk/client-sts'
import { afterAll, beforeEach, describe, expect, it } from '@jest/globals'
import { mockClient } from 'aws-sdk-client-mock'
import { controlsFor } from '../../../src/core/controls.js'
import { SEVERITY, type Finding, type FindingKind, type Policy } from '../../../src/core/model.js'
import { scanAccount, type ScanOptions } from '../../../src/scan/account.js'
import { silentLogger } from '../../../src/core/logger.js'
import { NOW, awsError, daysAgo, fakeLog } from '../helpers.js'

const iamMock = mockClient(IAMClient)
const stsMock = mockClient(STSClient)
const clients = { iam: new IAMClient({ region: 'us-east-1' }), sts: new STSClient({ region: 'us-east-1' }) }

const CALLER_ACCOUNT = '111122223333'
const MEMBER_ACCOUNT = '444455556666'
const TAG = 'key-sentry:exempt'
const POLICY: Policy = { maxKeyAgeDays: 90, warnKeyAgeDays: null, maxUnusedDays: null }

const isoSeconds = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z')

interface AccountKey {
  id: string
  status: 'Active' | 'Inactive'
  ageDays: number
}

interface AccountUser {
  name: string
  keys: AccountKey[]
  tags: Tag[]
}

/**
 * The account every test scans (NOW 2026-11-24, max age 90 days):
 * svc-deploy is exempt by name; tagged-bob and dated-carol by tag; bad-dave has an unreadable
 * tag value and two findings; expired-frank's date has passed; old-alice has no exemption tag;
 * fresh-erin and no-keys-gina have no findings, so their tags are never needed.
 */
const USERS: AccountUser[] = [
  { name: 'old-alice', keys: [{ id: 'AKIAOLDALICE00000001', status: 'Active', ageDays: 200 }], tags: [{ Key: 'team', Value: 'payments' }] },
  { name: 'svc-deploy', keys: [{ id: 'AKIASVCDEPLOY0000001', status: 'Active', ageDays: 300 }], tags: [{ Key: TAG, Value: 'maybe' }] },
  { name: 'tagged-bob', keys: [{ id: 'AKIATAGGEDBOB0000001', status: 'Active', ageDays: 150 }], tags: [{ Key: TAG, Value: 'true' }] },
  {
    name: 'dated-carol',
    keys: [{ id: 'AKIADATEDCAROL000001', status: 'Active', ageDays: 120 }],
    tags: [
      { Key: 'team', Value: 'infra' },
      { Key: TAG, Value: '2026-12-31' }
    ]
  },
  {
    name: 'bad-dave',
    keys: [
      { id: 'AKIABADDAVE000000001', status: 'Active', ageDays: 110 },
      { id: 'AKIABADDAVE000000002', status: 'Inactive', ageDays: 100 }
    ],
    tags: [{ Key: TAG, Value: 'maybe' }]
  },
  { name: 'expired-frank', keys: [{ id: 'AKIAEXPIREDFRANK0001', status: 'Active', ageDays: 95 }], tags: [{ Key: TAG, Value: '2026-11-01' }] },
  { name: 'fresh-erin', keys: [{ id: 'AKIAFRESHERIN0000001', status: 'Active', ageDays: 10 }], tags: [{ Key: TAG, Value: 'true' }] },
  { name: 'no-keys-gina', keys: [], tags: [] }
]

const arn = (account: string, user: string) => `arn:aws:iam::${account}:user/${user}`

function user(name: string): AccountUser {
  const u = USERS.find((x) => x.name === name)
  if (!u) throw new Error(`no user ${name}`)
  return u
}

/** The finding the scan must report for one key, before exemptions. */
function expected(account: string, userName: string, keyId: string, kind: FindingKind): Finding {
  const key = user(userName).keys.find((k) => k.id === keyId)
  if (!key) throw new Error(`no key ${keyId}`)
  return {
    accountId: account,
    kind,
    severity: SEVERITY[kind],
    userName,
    userArn: arn(account, userName),
    accessKeyId: keyId,
    status: key.status,
    createdAt: isoSeconds(daysAgo(key.ageDays)),
    ageDays: key.ageDays,
    lastUsedAt: null,
    lastUsedService: null,
    exempt: false,
    exemptReason: null,
    controls: controlsFor(kind, POLICY)
  }
}

const exempt = (f: Finding, reason: string): Finding => ({ ...f, exempt: true, exemptReason: reason })

/** Every finding of the account in report order (most severe, then oldest first), none exempt. */
function allFindings(account: string): Finding[] {
  return [
    expected(account, 'svc-deploy', 'AKIASVCDEPLOY0000001', 'stale'),
    expected(account, 'old-alice', 'AKIAOLDALICE00000001', 'stale'),
    expected(account, 'tagged-bob', 'AKIATAGGEDBOB0000001', 'stale'),
    expected(account, 'dated-carol', 'AKIADATEDCAROL000001', 'stale'),
    expected(account, 'bad-dave', 'AKIABADDAVE000000001', 'stale'),
    expected(account, 'expired-frank', 'AKIAEXPIREDFRANK0001', 'stale'),
    expected(account, 'bad-dave', 'AKIABADDAVE000000002', 'inactive')
  ]
}

const BAD_DAVE_NOTE = `user bad-dave: tag ${TAG}="maybe" is neither true nor a date (YYYY-MM-DD), so it exempts nothing`

let tagInputs: ListUserTagsCommandInput[] = []

/** Serve the account through the listing APIs; the ARNs carry `account`. */
function serveAccount(account = CALLER_ACCOUNT) {
  iamMock.on(ListUsersCommand).callsFake((input: { Marker?: string }) => {
    const page1 = USERS.slice(0, 4)
    const page2 = USERS.slice(4)
    const toUser = (u: AccountUser) => ({ UserName: u.name, Arn: arn(account, u.name), UserId: `AIDA${u.name}`, Path: '/', CreateDate: daysAgo(1000) })
    if (input.Marker === undefined) return { Users: page1.map(toUser), IsTruncated: true, Marker: 'users-2' }
    if (input.Marker === 'users-2') return { Users: page2.map(toUser), IsTruncated: false }
    throw new Error(`unexpected ListUsers Marker ${input.Marker}`)
  })
  iamMock.on(ListAccessKeysCommand).callsFake((input: ListAccessKeysCommandInput) => ({
    AccessKeyMetadata: user(input.UserName ?? '').keys.map(
      (k): AccessKeyMetadata => ({ UserName: input.UserName, AccessKeyId: k.id, Status: k.status, CreateDate: daysAgo(k.ageDays) })
    ),
    IsTruncated: false
  }))
  iamMock.on(GetAccessKeyLastUsedCommand).resolves({ AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' } })
}

/** ListUserTags from USERS; `fail` answers instead for the users it names. */
function serveTags(fail: (userName: string) => Error | undefined = () => undefined) {
  iamMock.on(ListUserTagsCommand).callsFake((input: ListUserTagsCommandInput) => {
    tagInputs.push({ ...input })
    const userName = input.UserName ?? ''
    const err = fail(userName)
    if (err) throw err
    return { Tags: user(userName).tags, IsTruncated: false }
  })
}

const taggedUsers = () => tagInputs.map((i) => i.UserName).sort()

function options(overrides: Partial<ScanOptions> = {}): ScanOptions {
  return {
    dataSource: 'api',
    policy: POLICY,
    now: NOW,
    concurrency: 4,
    credentialReportPolling: { sleep: async () => {} },
    log: silentLogger,
    exemptions: { userPatterns: ['svc-*'], tagKey: TAG },
    ...overrides
  }
}

beforeEach(() => {
  iamMock.reset()
  stsMock.reset()
  tagInputs = []
  stsMock.on(GetCallerIdentityCommand).resolves({
    Account: CALLER_ACCOUNT,
    Arn: `arn:aws:sts::${CALLER_ACCOUNT}:assumed-role/ci/iam-key-sentry`,
    UserId: 'AROAEXAMPLE:iam-key-sentry'
  })
})

afterAll(() => {
  iamMock.restore()
  stsMock.restore()
})

describe('scanAccount', () => {
  it('scans the caller’s account, applies name and tag exemptions, and notes the bad tag value', async () => {
    serveAccount()
    serveTags()
    const log = fakeLog()

    const scan = await scanAccount(clients, options({ log }))

    expect(stsMock.commandCalls(GetCallerIdentityCommand)).toHaveLength(1)
    const [svc, alice, bob, carol, dave, frank, daveInactive] = allFindings(CALLER_ACCOUNT)
    expect(scan).toEqual({
      accountId: CALLER_ACCOUNT,
      dataSource: 'api',
      users: 8,
      keys: 8,
      findings: [
        exempt(svc, 'exempt-users svc-*'),
        alice,
        exempt(bob, `tag ${TAG}=true`),
        exempt(carol, `tag ${TAG} until 2026-12-31`),
        dave,
        frank,
        daveInactive
      ],
      notes: [BAD_DAVE_NOTE],
      warnings: [BAD_DAVE_NOTE],
      // Every key, exempt or not and with or without a finding, in listing order: the baseline diff needs them all.
      inventory: USERS.flatMap((u) =>
        u.keys.map((k) => ({
          userName: u.name,
          userArn: arn(CALLER_ACCOUNT, u.name),
          accessKeyId: k.id,
          status: k.status,
          createdAt: daysAgo(k.ageDays),
          lastUsedAt: null,
          lastUsedService: null,
          isRoot: false,
          passwordEnabled: null,
          userCreatedAt: daysAgo(1000)
        }))
      )
    })
    expect(log.info.mock.calls).toEqual([[`[${CALLER_ACCOUNT}] ListUsers: 8 users`], [`[${CALLER_ACCOUNT}] user tags (key-sentry:exempt) read for 5 users with findings (ListUserTags)`]])
    // A tag value that exempts nothing is a mistake to fix: a warning (scanAccounts logs it) as well as a note.
    expect(scan.warnings).toEqual([BAD_DAVE_NOTE])
    expect(log.warning).not.toHaveBeenCalled()
  })

  it('warns in the log, once per user, about a tag value that is neither true nor a real date', async () => {
    serveAccount()
    serveTags()
    iamMock.on(ListUserTagsCommand, { UserName: 'expired-frank' }).resolves({ Tags: [{ Key: TAG, Value: '2026-13-45' }] })
    iamMock.on(ListUserTagsCommand, { UserName: 'bad-dave' }).resolves({ Tags: [{ Key: TAG, Value: 'yes' }] })
    const log = fakeLog()

    const scan = await scanAccount(clients, options({ log }), MEMBER_ACCOUNT)

    const notes = [
      `user bad-dave: tag ${TAG}="yes" is neither true nor a date (YYYY-MM-DD), so it exempts nothing`,
      `user expired-frank: tag ${TAG}="2026-13-45" is neither true nor a date (YYYY-MM-DD), so it exempts nothing`
    ]
    expect(scan.notes).toEqual(notes)
    expect(scan.warnings).toEqual(notes)
  })

  it('warns in the log and the summary when exempt-users patterns exempt every user with findings', async () => {
    serveAccount()
    serveTags()
    const log = fakeLog()
    const userPatterns = ['svc-*', 'old-*', '*-bob', '*-carol', 'bad-dave', 'expired-*']

    const scan = await scanAccount(clients, options({ log, exemptions: { userPatterns, tagKey: TAG } }))

    expect(scan.findings.every((f) => f.exempt)).toBe(true)
    const note =
      'exempt-users "svc-*", "old-*", "*-bob", "*-carol", "bad-dave", "expired-*" exempts every user with findings (6 users): ' +
      'none is counted or failed on; check that the patterns are not broader than meant'
    expect(scan.notes).toEqual([note])
    expect(scan.warnings).toEqual([note])
  })

  it('reads tags only for users with findings not exempt by name, once per user', async () => {
    serveAccount()
    serveTags()

    await scanAccount(clients, options())

    expect(taggedUsers()).toEqual(['bad-dave', 'dated-carol', 'expired-frank', 'old-alice', 'tagged-bob'])
    expect(iamMock.commandCalls(ListUserTagsCommand)).toHaveLength(5)
  })

  it('takes the account id it is given and does not ask STS', async () => {
    serveAccount(MEMBER_ACCOUNT)
    serveTags()

    const scan = await scanAccount(clients, options(), MEMBER_ACCOUNT)

    expect(stsMock.commandCalls(GetCallerIdentityCommand)).toHaveLength(0)
    expect(scan.accountId).toBe(MEMBER_ACCOUNT)
    expect(scan.findings.map((f) => f.accountId)).toEqual(Array(7).fill(MEMBER_ACCOUNT))
    expect(scan.findings).toEqual([
      exempt(expected(MEMBER_ACCOUNT, 'svc-deploy', 'AKIASVCDEPLOY0000001', 'stale'), 'exempt-users svc-*'),
      expected(MEMBER_ACCOUNT, 'old-alice', 'AKIAOLDALICE00000001', 'stale'),
      exempt(expected(MEMBER_ACCOUNT, 'tagged-bob', 'AKIATAGGEDBOB0000001', 'stale'), `tag ${TAG}=true`),
      exempt(expected(MEMBER_ACCOUNT, 'dated-carol', 'AKIADATEDCAROL000001', 'stale'), `tag ${TAG} until 2026-12-31`),
      expected(MEMBER_ACCOUNT, 'bad-dave', 'AKIABADDAVE000000001', 'stale'),
      expected(MEMBER_ACCOUNT, 'expired-frank', 'AKIAEXPIREDFRANK0001', 'stale'),
      expected(MEMBER_ACCOUNT, 'bad-dave', 'AKIABADDAVE000000002', 'inactive')
    ])
  })

  it('when ListUserTags is denied, completes without tag exemptions and says why', async () => {
    serveAccount()
    const denied = 'User: arn:aws:sts::111122223333:assumed-role/ci/x is not authorized to perform: iam:ListUserTags'
    serveTags(() => awsError('AccessDenied', denied))
    const log = fakeLog()

    const scan = await scanAccount(clients, options({ log }))

    const note = `user tags could not be read (iam:ListUserTags was denied (AccessDenied: ${denied}). Grant iam:ListUserTags to the credentials the action uses.); no finding is exempted by tag`
    const [svc, ...rest] = allFindings(CALLER_ACCOUNT)
    expect(scan.findings).toEqual([exempt(svc, 'exempt-users svc-*'), ...rest])
    expect(scan.findings.filter((f) => f.exemptReason?.startsWith('tag '))).toEqual([])
    expect(scan.notes).toEqual([note])
    expect(scan.warnings).toEqual([note])
    expect(log.info.mock.calls).toEqual([[`[${CALLER_ACCOUNT}] ListUsers: 8 users`]])
    expect(scan.users).toBe(8)
    expect(scan.keys).toBe(8)
  })

  it('when only one user’s tags are denied, no finding is exempted by tag', async () => {
    serveAccount()
    serveTags((name) => (name === 'expired-frank' ? awsError('AccessDenied', 'denied for frank') : undefined))

    const scan = await scanAccount(clients, options())

    expect(scan.findings.filter((f) => f.exempt).map((f) => [f.userName, f.exemptReason])).toEqual([['svc-deploy', 'exempt-users svc-*']])
    expect(scan.notes).toEqual([
      'user tags could not be read (iam:ListUserTags was denied (AccessDenied: denied for frank). Grant iam:ListUserTags to the credentials the action uses.); no finding is exempted by tag'
    ])
  })

  it('keeps the inventory notes first when the tags are denied', async () => {
    iamMock.on(GenerateCredentialReportCommand).rejects(awsError('AccessDenied', 'no report'))
    serveAccount()
    serveTags(() => awsError('AccessDenied', 'no tags'))

    const scan = await scanAccount(clients, options({ dataSource: 'auto' }))

    expect(iamMock.commandCalls(GetCredentialReportCommand)).toHaveLength(0)
    expect(scan.dataSource).toBe('api')
    expect(scan.notes).toEqual([
      'fell back to listing users and keys: iam:GenerateCredentialReport was denied (AccessDenied: no report). Grant iam:GenerateCredentialReport to the credentials the action uses.',
      'user tags could not be read (iam:ListUserTags was denied (AccessDenied: no tags). Grant iam:ListUserTags to the credentials the action uses.); no finding is exempted by tag'
    ])
  })

  it('fails when ListUserTags fails for a reason other than a denial', async () => {
    serveAccount()
    serveTags((name) => (name === 'dated-carol' ? awsError('ServiceFailure', 'internal error', 500, 'server') : undefined))
    const log = fakeLog()

    await expect(scanAccount(clients, options({ log }))).rejects.toHaveProperty(
      'message',
      'iam:ListUserTags failed (ServiceFailure: internal error)'
    )
    expect(log.warning).not.toHaveBeenCalled()
  })

  it('fails when every ListUserTags call fails with a throttling error', async () => {
    serveAccount()
    serveTags(() => awsError('Throttling', 'Rate exceeded', 400))

    await expect(scanAccount(clients, options())).rejects.toThrow('iam:ListUserTags failed (Throttling: Rate exceeded)')
  })

  it('never reads tags when no tag key is configured', async () => {
    serveAccount()
    serveTags()

    const scan = await scanAccount(clients, options({ exemptions: { userPatterns: ['svc-*'], tagKey: null } }))

    expect(iamMock.commandCalls(ListUserTagsCommand)).toHaveLength(0)
    const [svc, ...rest] = allFindings(CALLER_ACCOUNT)
    expect(scan.findings).toEqual([exempt(svc, 'exempt-users svc-*'), ...rest])
    expect(scan.notes).toEqual([])
  })

  it('reads no tags when every finding is exempt by name', async () => {
    serveAccount()
    serveTags()

    const scan = await scanAccount(clients, options({ exemptions: { userPatterns: ['*'], tagKey: TAG } }))

    expect(iamMock.commandCalls(ListUserTagsCommand)).toHaveLength(0)
    expect(scan.findings.map((f) => f.exemptReason)).toEqual(Array(7).fill('exempt-users *'))
  })

  it('warns in the log and the summary when exempt-users is a pattern that matches every name', async () => {
    serveAccount()
    serveTags()
    const log = fakeLog()

    const scan = await scanAccount(clients, options({ log, exemptions: { userPatterns: ['*'], tagKey: TAG } }))

    const note =
      'exempt-users "*" matches every user name: every user with findings is exempt (6 users), never counted or failed on; ' +
      'name the users to exempt instead, or set fail-on: none to report without failing'
    expect(scan.notes).toEqual([note])
    expect(scan.warnings).toEqual([note])
  })

  it('reads no tags when there are no findings', async () => {
    serveAccount()
    serveTags()
    const log = fakeLog()

    const scan = await scanAccount(clients, options({ policy: { ...POLICY, maxKeyAgeDays: 1000 }, log }))

    expect(scan.findings).toEqual([])
    expect(iamMock.commandCalls(ListUserTagsCommand)).toHaveLength(0)
    expect(log.info.mock.calls).toEqual([[`[${CALLER_ACCOUNT}] ListUsers: 8 users`]])
  })

  it('fails, before any IAM call, when GetCallerIdentity fails', async () => {
    serveAccount()
    serveTags()
    stsMock
      .on(GetCallerIdentityCommand)
      .rejects(new STSServiceException({ name: 'ExpiredToken', message: 'The security token included in the request is expired', $fault: 'client', $metadata: { httpStatusCode: 403 } }))

    await expect(scanAccount(clients, options())).rejects.toHaveProperty(
      'message',
      'sts:GetCallerIdentity failed (ExpiredToken: The security token included in the request is expired)'
    )
    expect(iamMock.calls()).toHaveLength(0)
  })

  it('fails when GetCallerIdentity returns no account id', async () => {
    serveAccount()
    stsMock.on(GetCallerIdentityCommand).resolves({})

    await expect(scanAccount(clients, options())).rejects.toThrow('sts:GetCallerIdentity returned no account id')
  })
})

// Reviewer #6: tags read in bulk, one user missing from the listing (made since) and
// ListUserTags denied for it: only that user is unknown; the others keep their tags.
describe('scanAccount: tags read in bulk, ListUserTags denied for a user the listing lacks', () => {
  const names = Array.from({ length: 150 }, (_, n) => `user-${String(n).padStart(3, '0')}`)
  const LATE = 'user-149'

  beforeEach(() => {
    iamMock.on(ListUsersCommand).resolves({
      Users: names.map((u) => ({ UserName: u, Arn: arn(CALLER_ACCOUNT, u), UserId: `AIDA${u}`, Path: '/', CreateDate: daysAgo(1000) })),
      IsTruncated: false
    })
    iamMock.on(ListAccessKeysCommand).callsFake((input: ListAccessKeysCommandInput) => ({
      AccessKeyMetadata: [{ UserName: input.UserName, AccessKeyId: `AKIA${input.UserName!.replace('-', '').toUpperCase().padEnd(16, '0')}`, Status: 'Active', CreateDate: daysAgo(200) }],
      IsTruncated: false
    }))
    iamMock.on(GetAccountAuthorizationDetailsCommand).resolves({
      UserDetailList: names.filter((u) => u !== LATE).map((u) => ({ UserName: u, Tags: [{ Key: TAG, Value: 'true' }] })),
      IsTruncated: false
    })
    iamMock.on(ListUserTagsCommand).rejects(awsError('AccessDenied', 'not authorized to perform: iam:ListUserTags'))
  })

  it('exempts the users read in bulk by their tag; the one not read is not exempt, and the note names how many', async () => {
    const scan = await scanAccount(clients, options({ exemptions: { userPatterns: [], tagKey: TAG } }), CALLER_ACCOUNT)

    expect(iamMock.commandCalls(ListUserTagsCommand).map((c) => c.args[0].input.UserName)).toEqual([LATE])
    expect(scan.findings).toHaveLength(150)
    expect(scan.findings.filter((f) => !f.exempt).map((f) => f.userName)).toEqual([LATE])
    expect(scan.findings.filter((f) => f.exempt).every((f) => f.exemptReason === `tag ${TAG}=true`)).toBe(true)
    const note =
      'the tags of 1 user with findings could not be read (iam:ListUserTags was denied (AccessDenied: not authorized to perform: iam:ListUserTags). ' +
      'Grant iam:ListUserTags to the credentials the action uses.); none of their findings is exempted by tag'
    expect(scan.notes).toEqual([note])
    expect(scan.warnings).toContain(note)
  })
})
