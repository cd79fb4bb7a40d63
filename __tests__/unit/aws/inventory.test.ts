import {
  GenerateCredentialReportCommand,
  GetAccessKeyLastUsedCommand,
  GetCredentialReportCommand,
  GetLoginProfileCommand,
  IAMClient,
  LimitExceededException,
  ListAccessKeysCommand,
  ListUsersCommand,
  NoSuchEntityException,
  type AccessKeyMetadata,
  type ListAccessKeysCommandInput,
  type ListAccessKeysCommandOutput,
  type User
} from '@aws-sdk/client-iam'
import { afterAll, beforeEach, describe, expect, it } from '@jest/globals'
import { mockClient } from 'aws-sdk-client-mock'
import {
  collectInventory,
  inventoryFromApi,
  inventoryFromCredentialReport,
  type InventoryOptions
} from '../../../src/aws/inventory.js'
import type { KeyRecord, Policy } from '../../../src/core/model.js'
import { silentLogger } from '../../../src/core/logger.js'
import { evaluate } from '../../../src/core/policy.js'
import { ACCOUNT, NOW, awsError, credentialReportCsv, credentialReportDate, credentialReportRow, fakeLog } from '../helpers.js'

const iamMock = mockClient(IAMClient)
const iam = new IAMClient({ region: 'us-east-1' })

const DAY = 86_400_000
const POLICY: Policy = { maxKeyAgeDays: 90, warnKeyAgeDays: null, maxUnusedDays: null }

const arn = (user: string) => `arn:aws:iam::${ACCOUNT}:user/${user}`
/** `days` whole days before NOW, at a given time of day (so the creation second is distinctive). */
const daysAgo = (days: number, time = '12:00:00') => new Date(`${new Date(NOW.getTime() - days * DAY).toISOString().slice(0, 10)}T${time}Z`)

function serveCredentialReport(content: string, generatedAt = new Date('2026-11-24T08:00:00Z')) {
  iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' })
  iamMock.on(GetCredentialReportCommand).resolves({
    Content: new TextEncoder().encode(content),
    ReportFormat: 'text/csv',
    GeneratedTime: generatedAt
  })
}

function meta(user: string, id: string, status: 'Active' | 'Inactive', created: Date): AccessKeyMetadata {
  return { UserName: user, AccessKeyId: id, Status: status, CreateDate: created }
}

/** What the listing path knows of a user (ListUsers CreateDate; the console password only for setup-key candidates). */
const API_USER = { passwordEnabled: null, userCreatedAt: daysAgo(1000) }
/** What the credential report rows of helpers.credentialReportRow say of a user. */
const REPORT_USER = { passwordEnabled: false, userCreatedAt: new Date('2020-01-01T00:00:00Z') }

function listed(
  user: string,
  id: string,
  status: 'Active' | 'Inactive',
  created: Date,
  facts: Pick<KeyRecord, 'passwordEnabled' | 'userCreatedAt'> = API_USER
): KeyRecord {
  return {
    userName: user,
    userArn: arn(user),
    accessKeyId: id,
    status,
    createdAt: created,
    lastUsedAt: null,
    lastUsedService: null,
    isRoot: false,
    ...facts
  }
}

function options(overrides: Partial<InventoryOptions> = {}): InventoryOptions {
  return {
    dataSource: 'auto',
    policy: POLICY,
    now: NOW,
    concurrency: 4,
    credentialReportPolling: { sleep: async () => {} },
    log: silentLogger,
    ...overrides
  }
}

const listAccessKeysUsers = () =>
  iamMock.commandCalls(ListAccessKeysCommand).map((c) => (c.args[0].input as ListAccessKeysCommandInput).UserName)

beforeEach(() => {
  iamMock.reset()
})

afterAll(() => {
  iamMock.restore()
})

describe('inventoryFromCredentialReport', () => {
  // alice: fresh; eve: inactive but young; root: active key (a finding, but never listed);
  // old-bob, gone-carol and rotated-dave break the policy in the report.
  const bobCreated = daysAgo(200, '09:15:30')
  const bobOldInactive = daysAgo(30, '17:45:10')
  const bobLastUsed = new Date('2026-11-20T08:00:00Z')
  const rootCreated = daysAgo(2000, '01:02:03')
  const aliceCreated = daysAgo(10, '10:00:00')
  const eveCreated = daysAgo(40, '06:30:00')
  const REPORT = credentialReportCsv(
    credentialReportRow('<root_account>', [{ active: true, created: rootCreated }]),
    credentialReportRow('alice', [{ active: true, created: aliceCreated, lastUsed: new Date('2026-11-23T10:00:00Z'), service: 'sts' }]),
    credentialReportRow('old-bob', [
      { active: true, created: bobCreated, lastUsed: bobLastUsed, service: 's3' },
      { active: false, created: bobOldInactive }
    ]),
    credentialReportRow('gone-carol', [{ active: true, created: daysAgo(150) }]),
    credentialReportRow('rotated-dave', [{ active: true, created: daysAgo(120, '08:00:00') }]),
    credentialReportRow('eve', [{ active: false, created: eveCreated }])
  )

  function serveListings() {
    iamMock.on(ListAccessKeysCommand).callsFake((input: ListAccessKeysCommandInput): Partial<ListAccessKeysCommandOutput> => {
      switch (input.UserName) {
        case 'old-bob':
          return {
            AccessKeyMetadata: [
              // The API carries milliseconds the report does not: matched by the second.
              meta('old-bob', 'AKIAOLDBOB0000000001', 'Active', new Date(bobCreated.getTime() + 250)),
              meta('old-bob', 'AKIAOLDBOB0000000002', 'Inactive', bobOldInactive)
            ],
            IsTruncated: false
          }
        case 'gone-carol':
          throw new NoSuchEntityException({ message: 'The user with name gone-carol cannot be found.', $metadata: {} })
        case 'rotated-dave':
          return {
            AccessKeyMetadata: [meta('rotated-dave', 'AKIAROTATEDDAVE00001', 'Active', daysAgo(2, '14:00:00'))],
            IsTruncated: false
          }
        default:
          throw new Error(`ListAccessKeys was not expected for ${input.UserName}`)
      }
    })
  }

  it('lists keys only for the users the report flags, keeps the report last use, drops deleted users', async () => {
    serveCredentialReport(REPORT)
    serveListings()
    const log = fakeLog()

    const inv = await inventoryFromCredentialReport(iam, options({ dataSource: 'credential-report', log }))

    expect(listAccessKeysUsers()).toEqual(['old-bob', 'gone-carol', 'rotated-dave'])
    expect(iamMock.commandCalls(ListUsersCommand)).toHaveLength(0)
    expect(iamMock.commandCalls(GetAccessKeyLastUsedCommand)).toHaveLength(0)
    expect(iamMock.commandCalls(GenerateCredentialReportCommand)).toHaveLength(1)
    expect(iamMock.commandCalls(GetCredentialReportCommand)).toHaveLength(1)
    expect(inv.dataSource).toBe('credential-report')
    expect(inv.users).toBe(5) // the root row is not a user
    expect(inv.notes).toEqual([])
    expect(inv.keys).toEqual([
      {
        userName: '<root_account>',
        userArn: `arn:aws:iam::${ACCOUNT}:root`,
        accessKeyId: null,
        status: 'Active',
        createdAt: rootCreated,
        lastUsedAt: null,
        lastUsedService: null,
        isRoot: true,
        passwordEnabled: null, // not_supported
        userCreatedAt: REPORT_USER.userCreatedAt
      },
      {
        userName: 'alice',
        userArn: arn('alice'),
        accessKeyId: null,
        status: 'Active',
        createdAt: aliceCreated,
        lastUsedAt: new Date('2026-11-23T10:00:00Z'),
        lastUsedService: 'sts',
        isRoot: false,
        ...REPORT_USER
      },
      {
        userName: 'eve',
        userArn: arn('eve'),
        accessKeyId: null,
        status: 'Inactive',
        createdAt: eveCreated,
        lastUsedAt: null,
        lastUsedService: null,
        isRoot: false,
        ...REPORT_USER
      },
      {
        ...listed('old-bob', 'AKIAOLDBOB0000000001', 'Active', new Date(bobCreated.getTime() + 250), REPORT_USER),
        lastUsedAt: bobLastUsed,
        lastUsedService: 's3'
      },
      listed('old-bob', 'AKIAOLDBOB0000000002', 'Inactive', bobOldInactive, REPORT_USER),
      listed('rotated-dave', 'AKIAROTATEDDAVE00001', 'Active', daysAgo(2, '14:00:00'), REPORT_USER)
    ])
    expect(log.info.mock.calls).toEqual([['credential report: 6 rows, 3 users to confirm with ListAccessKeys']])
  })

  it('reports only what is still true: a key rotated since the report is not a finding', async () => {
    serveCredentialReport(REPORT)
    serveListings()

    const inv = await inventoryFromCredentialReport(iam, options({ dataSource: 'credential-report' }))
    const findings = evaluate(ACCOUNT, inv.keys, POLICY, NOW)

    expect(findings.map((f) => [f.kind, f.userName, f.accessKeyId, f.ageDays, f.lastUsedAt, f.lastUsedService])).toEqual([
      ['root-key', '<root_account>', null, 2000, null, null],
      ['stale', 'old-bob', 'AKIAOLDBOB0000000001', 200, '2026-11-20T08:00:00Z', 's3']
    ])
  })

  it('makes no ListAccessKeys call when no row breaks the policy', async () => {
    serveCredentialReport(
      credentialReportCsv(
        credentialReportRow('<root_account>', []),
        credentialReportRow('alice', [{ active: true, created: daysAgo(89) }]),
        credentialReportRow('bob', [{ active: false, created: daysAgo(89) }, { active: true, created: daysAgo(1) }])
      )
    )

    const inv = await inventoryFromCredentialReport(iam, options())

    expect(iamMock.commandCalls(ListAccessKeysCommand)).toHaveLength(0)
    expect(inv.users).toBe(2)
    expect(inv.keys).toHaveLength(3)
  })

  it('flags a user for the unused rule when maxUnusedDays is set', async () => {
    serveCredentialReport(
      credentialReportCsv(
        credentialReportRow('idle', [{ active: true, created: daysAgo(60, '03:00:00'), lastUsed: daysAgo(50), service: 'ec2' }]),
        credentialReportRow('busy', [{ active: true, created: daysAgo(60), lastUsed: daysAgo(1), service: 'ec2' }])
      )
    )
    iamMock
      .on(ListAccessKeysCommand, { UserName: 'idle' })
      .resolves({ AccessKeyMetadata: [meta('idle', 'AKIAIDLE000000000001', 'Active', daysAgo(60, '03:00:00'))] })

    const policy = { ...POLICY, maxUnusedDays: 45 }
    const inv = await inventoryFromCredentialReport(iam, options({ policy }))

    expect(listAccessKeysUsers()).toEqual(['idle'])
    const idle = inv.keys.find((k) => k.userName === 'idle')
    expect(idle).toEqual({
      ...listed('idle', 'AKIAIDLE000000000001', 'Active', daysAgo(60, '03:00:00'), REPORT_USER),
      lastUsedAt: daysAgo(50),
      lastUsedService: 'ec2'
    })
    expect(evaluate(ACCOUNT, inv.keys, policy, NOW).map((f) => [f.kind, f.userName])).toEqual([['unused', 'idle']])
  })

  it('notes that the existing report was used after LimitExceeded', async () => {
    iamMock
      .on(GenerateCredentialReportCommand)
      .rejects(new LimitExceededException({ message: 'Too many report tasks', $metadata: {} }))
    iamMock.on(GetCredentialReportCommand).resolves({
      Content: new TextEncoder().encode(credentialReportCsv(credentialReportRow('alice', [{ active: true, created: daysAgo(5) }]))),
      GeneratedTime: new Date('2026-11-24T08:00:00Z')
    })

    const inv = await inventoryFromCredentialReport(iam, options())

    expect(inv.notes).toEqual([
      'AWS was busy generating reports (LimitExceeded), so the existing credential report from 2026-11-24T08:00:00.000Z was used'
    ])
    expect(iamMock.commandCalls(GenerateCredentialReportCommand)).toHaveLength(1)
  })

  it('names iam:ListAccessKeys when confirming a flagged user is denied', async () => {
    serveCredentialReport(credentialReportCsv(credentialReportRow('old-bob', [{ active: true, created: daysAgo(200) }])))
    iamMock.on(ListAccessKeysCommand).rejects(awsError('AccessDenied', 'not authorized to perform: iam:ListAccessKeys'))

    await expect(inventoryFromCredentialReport(iam, options())).rejects.toHaveProperty(
      'message',
      'iam:ListAccessKeys was denied (AccessDenied: not authorized to perform: iam:ListAccessKeys). Grant iam:ListAccessKeys to the credentials the action uses.'
    )
  })

  it('bounds concurrent ListAccessKeys calls for flagged users', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `old-${String(i).padStart(2, '0')}`)
    serveCredentialReport(credentialReportCsv(...names.map((n) => credentialReportRow(n, [{ active: true, created: daysAgo(100) }]))))
    const gauge = inFlightGauge()
    iamMock.on(ListAccessKeysCommand).callsFake(gauge.wrap(() => ({ AccessKeyMetadata: [] })))

    await inventoryFromCredentialReport(iam, options({ concurrency: 3 }))

    expect(gauge.max()).toBe(3)
    expect(listAccessKeysUsers()).toEqual(names)
  })
})

/** Counts calls in flight through a delayed fake. */
function inFlightGauge(delayMs = 5) {
  let now = 0
  let max = 0
  return {
    max: () => max,
    wrap<I, O>(answer: (input: I) => O) {
      return async (input: I): Promise<O> => {
        now += 1
        max = Math.max(max, now)
        try {
          await new Promise((resolve) => setTimeout(resolve, delayMs))
          return answer(input)
        } finally {
          now -= 1
        }
      }
    }
  }
}

describe('inventoryFromApi', () => {
  const users = (from: number, to: number): User[] =>
    Array.from({ length: to - from }, (_, i) => {
      const name = `user-${String(from + i).padStart(3, '0')}`
      return { UserName: name, Arn: arn(name), UserId: `AIDA${from + i}`, Path: '/', CreateDate: daysAgo(1000) }
    })

  // The SDK paginator reuses one input object across pages, so commandCalls() would show
  // every call with the last Marker: the fakes copy each input as it arrives.
  let listUsersInputs: object[] = []
  let listKeysInputs: ListAccessKeysCommandInput[] = []
  beforeEach(() => {
    listUsersInputs = []
    listKeysInputs = []
  })

  /** 250 users in pages of 100, 100 and 50. */
  function serveUsers() {
    iamMock.on(ListUsersCommand).callsFake((input: { Marker?: string }) => {
      listUsersInputs.push({ ...input })
      if (input.Marker === undefined) return { Users: users(0, 100), IsTruncated: true, Marker: 'page-2' }
      if (input.Marker === 'page-2') return { Users: users(100, 200), IsTruncated: true, Marker: 'page-3' }
      if (input.Marker === 'page-3') return { Users: users(200, 250), IsTruncated: false }
      throw new Error(`unexpected Marker ${input.Marker}`)
    })
  }

  const stale0 = daysAgo(200, '01:00:00')
  const fresh1 = daysAgo(3, '02:00:00')
  const inactive2 = daysAgo(100, '03:00:00')
  const fresh3 = daysAgo(10, '04:00:00')
  const stale3 = daysAgo(95, '05:00:00')

  /** user-000: stale; user-001: fresh; user-002: old inactive; user-003: two pages of keys; the rest: none. */
  function serveKeys() {
    iamMock.on(ListAccessKeysCommand).callsFake((input: ListAccessKeysCommandInput) => {
      listKeysInputs.push({ ...input })
      switch (input.UserName) {
        case 'user-000':
          return { AccessKeyMetadata: [meta('user-000', 'AKIAUSER000000000001', 'Active', stale0)] }
        case 'user-001':
          return { AccessKeyMetadata: [meta('user-001', 'AKIAUSER001000000001', 'Active', fresh1)] }
        case 'user-002':
          return { AccessKeyMetadata: [meta('user-002', 'AKIAUSER002000000001', 'Inactive', inactive2)] }
        case 'user-003':
          if (input.Marker === undefined) {
            return {
              AccessKeyMetadata: [meta('user-003', 'AKIAUSER003000000001', 'Active', fresh3)],
              IsTruncated: true,
              Marker: 'keys-2'
            }
          }
          if (input.Marker === 'keys-2') {
            return { AccessKeyMetadata: [meta('user-003', 'AKIAUSER003000000002', 'Active', stale3)], IsTruncated: false }
          }
          throw new Error(`unexpected Marker ${input.Marker}`)
        default:
          return { AccessKeyMetadata: [], IsTruncated: false }
      }
    })
  }

  function serveLastUsed() {
    iamMock.on(GetAccessKeyLastUsedCommand).callsFake((input: { AccessKeyId?: string }) => {
      if (input.AccessKeyId === 'AKIAUSER000000000001') {
        return {
          UserName: 'user-000',
          AccessKeyLastUsed: { LastUsedDate: new Date('2026-11-01T10:00:00Z'), ServiceName: 'iam', Region: 'us-east-1' }
        }
      }
      // Never used: AWS answers N/A and no date.
      return { AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' } }
    })
  }

  const lastUsedIds = () =>
    iamMock
      .commandCalls(GetAccessKeyLastUsedCommand)
      .map((c) => (c.args[0].input as { AccessKeyId?: string }).AccessKeyId)
      .sort()

  it('pages ListUsers and ListAccessKeys, and asks no last use without maxUnusedDays', async () => {
    serveUsers()
    serveKeys()
    serveLastUsed()
    const log = fakeLog()

    const inv = await inventoryFromApi(iam, options({ dataSource: 'api', log }))

    expect(iamMock.commandCalls(ListUsersCommand)).toHaveLength(3)
    expect(listUsersInputs).toStrictEqual([
      { MaxItems: 1000, Marker: undefined },
      { MaxItems: 1000, Marker: 'page-2' },
      { MaxItems: 1000, Marker: 'page-3' }
    ])
    expect(iamMock.commandCalls(ListAccessKeysCommand)).toHaveLength(251) // every user once, user-003 twice
    expect(listKeysInputs).toHaveLength(251)
    expect(new Set(listKeysInputs.map((c) => c.UserName)).size).toBe(250)
    expect(listKeysInputs.filter((c) => c.UserName === 'user-003')).toEqual([
      { UserName: 'user-003' },
      { UserName: 'user-003', Marker: 'keys-2' }
    ])
    expect(lastUsedIds()).toEqual([])
    expect(iamMock.commandCalls(GenerateCredentialReportCommand)).toHaveLength(0)

    expect(inv.dataSource).toBe('api')
    expect(inv.users).toBe(250)
    expect(inv.notes).toEqual([])
    expect(inv.keys).toEqual([
      listed('user-000', 'AKIAUSER000000000001', 'Active', stale0),
      listed('user-001', 'AKIAUSER001000000001', 'Active', fresh1),
      listed('user-002', 'AKIAUSER002000000001', 'Inactive', inactive2),
      listed('user-003', 'AKIAUSER003000000001', 'Active', fresh3),
      listed('user-003', 'AKIAUSER003000000002', 'Active', stale3)
    ])
    expect(log.info.mock.calls).toEqual([['ListUsers: 250 users']])
    expect(evaluate(ACCOUNT, inv.keys, POLICY, NOW).map((f) => [f.kind, f.accessKeyId])).toEqual([
      ['stale', 'AKIAUSER000000000001'],
      ['stale', 'AKIAUSER003000000002'],
      ['inactive', 'AKIAUSER002000000001']
    ])
  })

  it('asks last use of every active key when maxUnusedDays is set', async () => {
    serveUsers()
    serveKeys()
    serveLastUsed()

    const inv = await inventoryFromApi(iam, options({ dataSource: 'api', policy: { ...POLICY, maxUnusedDays: 45 } }))

    // Every active key; the inactive one cannot be unused.
    expect(lastUsedIds()).toEqual([
      'AKIAUSER000000000001',
      'AKIAUSER001000000001',
      'AKIAUSER003000000001',
      'AKIAUSER003000000002'
    ])
    expect(inv.keys).toHaveLength(5)
    expect(inv.keys[0]).toMatchObject({ lastUsedAt: new Date('2026-11-01T10:00:00Z'), lastUsedService: 'iam' })
  })

  it('makes no GetAccessKeyLastUsed call when no key needs it', async () => {
    iamMock.on(ListUsersCommand).resolves({ Users: users(0, 2), IsTruncated: false })
    iamMock.on(ListAccessKeysCommand).callsFake((input: ListAccessKeysCommandInput) => ({
      AccessKeyMetadata: [meta(input.UserName ?? '', `AKIA${input.UserName}`, 'Active', fresh1)]
    }))

    const inv = await inventoryFromApi(iam, options({ dataSource: 'api' }))

    expect(iamMock.commandCalls(GetAccessKeyLastUsedCommand)).toHaveLength(0)
    expect(inv.users).toBe(2)
    expect(inv.keys).toHaveLength(2)
  })

  it.each([1, 3, 8])('keeps at most %i ListAccessKeys calls in flight', async (concurrency) => {
    iamMock.on(ListUsersCommand).resolves({ Users: users(0, 24), IsTruncated: false })
    const gauge = inFlightGauge()
    iamMock.on(ListAccessKeysCommand).callsFake(gauge.wrap(() => ({ AccessKeyMetadata: [] })))

    const inv = await inventoryFromApi(iam, options({ dataSource: 'api', concurrency }))

    expect(gauge.max()).toBe(concurrency)
    expect(iamMock.commandCalls(ListAccessKeysCommand)).toHaveLength(24)
    expect(inv.users).toBe(24)
  })

  it('keeps at most `concurrency` GetAccessKeyLastUsed calls in flight', async () => {
    iamMock.on(ListUsersCommand).resolves({ Users: users(0, 10), IsTruncated: false })
    iamMock.on(ListAccessKeysCommand).callsFake((input: ListAccessKeysCommandInput) => ({
      AccessKeyMetadata: [meta(input.UserName ?? '', `AKIA${input.UserName}`, 'Active', stale0)]
    }))
    const gauge = inFlightGauge()
    iamMock.on(GetAccessKeyLastUsedCommand).callsFake(gauge.wrap(() => ({ AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' } })))

    await inventoryFromApi(iam, options({ dataSource: 'api', concurrency: 2, policy: { ...POLICY, maxUnusedDays: 45 } }))

    expect(gauge.max()).toBe(2)
    expect(iamMock.commandCalls(GetAccessKeyLastUsedCommand)).toHaveLength(10)
  })

  it('names iam:ListUsers when listing users is denied', async () => {
    iamMock.on(ListUsersCommand).rejects(awsError('AccessDenied', 'not authorized to perform: iam:ListUsers'))

    await expect(inventoryFromApi(iam, options({ dataSource: 'api' }))).rejects.toHaveProperty(
      'message',
      'iam:ListUsers was denied (AccessDenied: not authorized to perform: iam:ListUsers). Grant iam:ListUsers to the credentials the action uses.'
    )
    expect(iamMock.commandCalls(ListAccessKeysCommand)).toHaveLength(0)
  })

  it('names iam:ListUsers when a later page is denied', async () => {
    iamMock.on(ListUsersCommand).callsFake((input: { Marker?: string }) => {
      if (input.Marker === undefined) return { Users: users(0, 100), IsTruncated: true, Marker: 'page-2' }
      throw awsError('AccessDenied', 'denied on page 2')
    })

    await expect(inventoryFromApi(iam, options({ dataSource: 'api' }))).rejects.toThrow(
      'iam:ListUsers was denied (AccessDenied: denied on page 2)'
    )
  })

  it('names iam:GetAccessKeyLastUsed when it is denied', async () => {
    iamMock.on(ListUsersCommand).resolves({ Users: users(0, 1), IsTruncated: false })
    iamMock.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [meta('user-000', 'AKIAUSER000000000001', 'Active', stale0)] })
    iamMock.on(GetAccessKeyLastUsedCommand).rejects(awsError('AccessDenied', 'no'))

    await expect(
      inventoryFromApi(iam, options({ dataSource: 'api', policy: { ...POLICY, maxUnusedDays: 45 } }))
    ).rejects.toThrow(
      'iam:GetAccessKeyLastUsed was denied (AccessDenied: no).'
    )
  })

  it('skips a user deleted between ListUsers and ListAccessKeys', async () => {
    iamMock.on(ListUsersCommand).resolves({ Users: users(0, 2), IsTruncated: false })
    iamMock.on(ListAccessKeysCommand).callsFake((input: ListAccessKeysCommandInput) => {
      if (input.UserName === 'user-000') throw awsError('NoSuchEntity', 'gone', 404)
      return { AccessKeyMetadata: [meta('user-001', 'AKIAUSER001000000001', 'Active', fresh1)] }
    })

    const inv = await inventoryFromApi(iam, options({ dataSource: 'api' }))

    expect(inv.users).toBe(2)
    expect(inv.keys).toEqual([listed('user-001', 'AKIAUSER001000000001', 'Active', fresh1)])
  })
})

describe('setup-key: calls grow with candidates, not users', () => {
  const HOUR = 3_600_000
  const userAt = daysAgo(30, '09:00:00')
  const at = (ms: number) => new Date(userAt.getTime() + ms)
  // new-nat: key 1 h after the user, never used, console password -> setup-key.
  // used-uli: key 2 h after the user, used once -> healthy (no GetLoginProfile).
  // api-ada: key 3 h after the user, never used, no login profile -> healthy.
  // late-leo: key 24 h + 1 s after the user -> not a candidate, no call.
  // old users: keys made long after the users -> not candidates, no call.
  const people: [string, Date, Date][] = [
    ['new-nat', userAt, at(HOUR)],
    ['used-uli', userAt, at(2 * HOUR)],
    ['api-ada', userAt, at(3 * HOUR)],
    ['late-leo', userAt, at(24 * HOUR + 1_000)],
    ...Array.from({ length: 20 }, (_, i): [string, Date, Date] => [`old-${i}`, daysAgo(1000), daysAgo(5 + i)])
  ]
  const id = (user: string) => `AKIA${user.replace(/-/g, '').toUpperCase().padEnd(16, '0').slice(0, 16)}`

  function serve() {
    iamMock.on(ListUsersCommand).resolves({
      Users: people.map(([name, created]) => ({ UserName: name, Arn: arn(name), UserId: `AIDA${name}`, Path: '/', CreateDate: created })),
      IsTruncated: false
    })
    iamMock.on(ListAccessKeysCommand).callsFake((input: ListAccessKeysCommandInput) => {
      const person = people.find(([name]) => name === input.UserName)
      return { AccessKeyMetadata: person ? [meta(person[0], id(person[0]), 'Active', person[2])] : [] }
    })
    iamMock.on(GetAccessKeyLastUsedCommand).callsFake((input: { AccessKeyId?: string }) => ({
      AccessKeyLastUsed:
        input.AccessKeyId === id('used-uli') ? { LastUsedDate: daysAgo(29), ServiceName: 's3', Region: 'us-east-1' } : { ServiceName: 'N/A', Region: 'N/A' }
    }))
    iamMock.on(GetLoginProfileCommand).callsFake((input: { UserName?: string }) => {
      if (input.UserName === 'api-ada') throw new NoSuchEntityException({ message: 'Login Profile for User api-ada cannot be found.', $metadata: {} })
      return { LoginProfile: { UserName: input.UserName, CreateDate: userAt, PasswordResetRequired: false } }
    })
  }
  const inputs = (calls: { args: [{ input: object }] }[]) =>
    calls
      .map((c) => {
        const input = c.args[0].input as { AccessKeyId?: string; UserName?: string }
        return input.AccessKeyId ?? input.UserName
      })
      .sort()
  const calls = (command: typeof GetAccessKeyLastUsedCommand | typeof GetLoginProfileCommand) =>
    command === GetLoginProfileCommand
      ? inputs(iamMock.commandCalls(GetLoginProfileCommand))
      : inputs(iamMock.commandCalls(GetAccessKeyLastUsedCommand))

  it('api: asks last use of the candidates only, and GetLoginProfile only for those never used', async () => {
    serve()
    const inv = await inventoryFromApi(iam, options({ dataSource: 'api' }))

    expect(calls(GetAccessKeyLastUsedCommand)).toEqual([id('api-ada'), id('new-nat'), id('used-uli')].sort())
    expect(calls(GetLoginProfileCommand)).toEqual(['api-ada', 'new-nat'])
    expect(iamMock.commandCalls(ListAccessKeysCommand)).toHaveLength(people.length)
    expect(evaluate(ACCOUNT, inv.keys, POLICY, NOW).map((f) => [f.kind, f.userName, f.controls])).toEqual([['setup-key', 'new-nat', ['CIS 1.11']]])
    expect(inv.notes).toEqual([])
  })

  it('api: with maxUnusedDays, last use is asked once per active key and not again for the candidates', async () => {
    serve()
    const policy = { ...POLICY, maxUnusedDays: 45 }
    const inv = await inventoryFromApi(iam, options({ dataSource: 'api', policy }))

    expect(iamMock.commandCalls(GetAccessKeyLastUsedCommand)).toHaveLength(people.length)
    expect(calls(GetLoginProfileCommand)).toEqual(['api-ada', 'new-nat'])
    expect(evaluate(ACCOUNT, inv.keys, policy, NOW).map((f) => [f.kind, f.userName])).toEqual([['setup-key', 'new-nat']])
  })

  it('api: no candidate, no extra call (the counts of a scan without new users stay as they were)', async () => {
    iamMock.on(ListUsersCommand).resolves({
      Users: people.slice(4).map(([name, created]) => ({ UserName: name, Arn: arn(name), UserId: `AIDA${name}`, Path: '/', CreateDate: created })),
      IsTruncated: false
    })
    iamMock.on(ListAccessKeysCommand).callsFake((input: ListAccessKeysCommandInput) => {
      const person = people.find(([name]) => name === input.UserName)
      return { AccessKeyMetadata: person ? [meta(person[0], id(person[0]), 'Active', person[2])] : [] }
    })

    await inventoryFromApi(iam, options({ dataSource: 'api' }))

    expect(iamMock.commandCalls(GetAccessKeyLastUsedCommand)).toHaveLength(0)
    expect(iamMock.commandCalls(GetLoginProfileCommand)).toHaveLength(0)
  })

  it('api: GetLoginProfile denied leaves setup-key unchecked for those users, with a note, and the scan completes', async () => {
    serve()
    iamMock.on(GetLoginProfileCommand).rejects(awsError('AccessDenied', 'not authorized to perform: iam:GetLoginProfile'))

    const inv = await inventoryFromApi(iam, options({ dataSource: 'api' }))

    expect(evaluate(ACCOUNT, inv.keys, POLICY, NOW)).toEqual([])
    expect(inv.notes).toEqual([
      'setup-key was not checked for some users: iam:GetLoginProfile was denied (AccessDenied: not authorized to perform: iam:GetLoginProfile)'
    ])
  })

  it('api: another GetLoginProfile error fails the scan and names the permission', async () => {
    serve()
    iamMock.on(GetLoginProfileCommand).rejects(awsError('ServiceFailure', 'boom', 500, 'server'))

    await expect(inventoryFromApi(iam, options({ dataSource: 'api' }))).rejects.toThrow(/iam:GetLoginProfile/)
  })

  it('credential report: finds a setup-key from the report alone, with no GetLoginProfile or last-use call', async () => {
    const report = (user: string, created: Date, password: boolean, key: Date) =>
      credentialReportRow(user, [{ active: true, created: key }]).replace('2020-01-01T00:00:00+00:00,false', `${credentialReportDate(created)},${password}`)
    serveCredentialReport(
      credentialReportCsv(
        report('new-nat', userAt, true, at(HOUR)),
        report('api-ada', userAt, false, at(HOUR)),
        report('late-leo', userAt, true, at(24 * HOUR + 1_000)),
        ...Array.from({ length: 20 }, (_, i) => report(`old-${i}`, daysAgo(1000), true, daysAgo(5 + i)))
      )
    )
    iamMock.on(ListAccessKeysCommand).callsFake((input: ListAccessKeysCommandInput) => ({
      AccessKeyMetadata: input.UserName === 'new-nat' ? [meta('new-nat', id('new-nat'), 'Active', at(HOUR))] : []
    }))

    const inv = await inventoryFromCredentialReport(iam, options({ dataSource: 'credential-report' }))

    // Only the flagged user is confirmed (its key id), as for any finding.
    expect(listAccessKeysUsers()).toEqual(['new-nat'])
    expect(iamMock.commandCalls(GetLoginProfileCommand)).toHaveLength(0)
    expect(iamMock.commandCalls(GetAccessKeyLastUsedCommand)).toHaveLength(0)
    expect(evaluate(ACCOUNT, inv.keys, POLICY, NOW).map((f) => [f.kind, f.userName, f.accessKeyId])).toEqual([
      ['setup-key', 'new-nat', id('new-nat')]
    ])
  })

  it('credential report: a user with two active keys is confirmed, and the older key is the finding', async () => {
    serveCredentialReport(
      credentialReportCsv(
        credentialReportRow('pair-pat', [
          { active: true, created: daysAgo(20, '10:00:00'), lastUsed: daysAgo(1), service: 's3' },
          { active: true, created: daysAgo(2, '10:00:00'), lastUsed: daysAgo(1), service: 's3' }
        ])
      )
    )
    iamMock.on(ListAccessKeysCommand).resolves({
      AccessKeyMetadata: [
        meta('pair-pat', 'AKIAPAIRPAT000000001', 'Active', daysAgo(20, '10:00:00')),
        meta('pair-pat', 'AKIAPAIRPAT000000002', 'Active', daysAgo(2, '10:00:00'))
      ]
    })

    const inv = await inventoryFromCredentialReport(iam, options({ dataSource: 'credential-report' }))

    expect(listAccessKeysUsers()).toEqual(['pair-pat'])
    expect(evaluate(ACCOUNT, inv.keys, POLICY, NOW).map((f) => [f.kind, f.accessKeyId])).toEqual([['two-active-keys', 'AKIAPAIRPAT000000001']])
  })
})

describe('collectInventory', () => {
  const deniedReport = () =>
    iamMock
      .on(GenerateCredentialReportCommand)
      .rejects(awsError('AccessDenied', 'not authorized to perform: iam:GenerateCredentialReport'))
  const DENIED_REPORT =
    'iam:GenerateCredentialReport was denied (AccessDenied: not authorized to perform: iam:GenerateCredentialReport). Grant iam:GenerateCredentialReport to the credentials the action uses.'

  function serveSmallAccount() {
    iamMock.on(ListUsersCommand).resolves({
      Users: [
        { UserName: 'alice', Arn: arn('alice'), UserId: 'AIDA1', Path: '/', CreateDate: daysAgo(500) },
        { UserName: 'old-bob', Arn: arn('old-bob'), UserId: 'AIDA2', Path: '/', CreateDate: daysAgo(500) }
      ],
      IsTruncated: false
    })
    iamMock.on(ListAccessKeysCommand, { UserName: 'alice' }).resolves({ AccessKeyMetadata: [] })
    iamMock
      .on(ListAccessKeysCommand, { UserName: 'old-bob' })
      .resolves({ AccessKeyMetadata: [meta('old-bob', 'AKIAOLDBOB0000000001', 'Active', daysAgo(200))] })
    iamMock.on(GetAccessKeyLastUsedCommand).resolves({ AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' } })
  }

  it('auto: falls back to listing when GenerateCredentialReport is denied, and notes why', async () => {
    deniedReport()
    serveSmallAccount()
    const log = fakeLog()

    const inv = await collectInventory(iam, options({ dataSource: 'auto', log }))

    expect(inv.dataSource).toBe('api')
    expect(inv.users).toBe(2)
    expect(inv.keys).toEqual([listed('old-bob', 'AKIAOLDBOB0000000001', 'Active', daysAgo(200), { passwordEnabled: null, userCreatedAt: daysAgo(500) })])
    expect(inv.notes).toEqual([`fell back to listing users and keys: ${DENIED_REPORT}`])
    expect(log.warning.mock.calls).toEqual([
      [`Credential report unavailable (${DENIED_REPORT}); listing users and keys instead`]
    ])
    expect(iamMock.commandCalls(GetCredentialReportCommand)).toHaveLength(0)
    expect(iamMock.commandCalls(ListUsersCommand)).toHaveLength(1)
  })

  it('auto: uses the credential report when it is available', async () => {
    serveCredentialReport(credentialReportCsv(credentialReportRow('alice', [{ active: true, created: daysAgo(5) }])))

    const inv = await collectInventory(iam, options({ dataSource: 'auto' }))

    expect(inv.dataSource).toBe('credential-report')
    expect(inv.notes).toEqual([])
    expect(iamMock.commandCalls(ListUsersCommand)).toHaveLength(0)
  })

  it('credential-report: does not fall back when the report is denied', async () => {
    deniedReport()
    serveSmallAccount()

    await expect(collectInventory(iam, options({ dataSource: 'credential-report' }))).rejects.toHaveProperty(
      'message',
      DENIED_REPORT
    )
    expect(iamMock.commandCalls(ListUsersCommand)).toHaveLength(0)
    expect(iamMock.commandCalls(ListAccessKeysCommand)).toHaveLength(0)
  })

  it('api: never asks for the credential report', async () => {
    serveSmallAccount()

    const inv = await collectInventory(iam, options({ dataSource: 'api' }))

    expect(inv.dataSource).toBe('api')
    expect(iamMock.commandCalls(GenerateCredentialReportCommand)).toHaveLength(0)
    expect(iamMock.commandCalls(GetCredentialReportCommand)).toHaveLength(0)
  })

  it('api: AccessDenied on ListUsers names iam:ListUsers', async () => {
    iamMock.on(ListUsersCommand).rejects(awsError('AccessDenied', 'not authorized to perform: iam:ListUsers'))

    await expect(collectInventory(iam, options({ dataSource: 'api' }))).rejects.toThrow(
      'Grant iam:ListUsers to the credentials the action uses.'
    )
  })

  it('auto: a confirmation throttled past the retries fails the scan naming iam:ListAccessKeys, and lists nothing', async () => {
    serveCredentialReport(credentialReportCsv(credentialReportRow('old-bob', [{ active: true, created: daysAgo(200) }]), credentialReportRow('alice', [{ active: true, created: daysAgo(5) }])))
    serveSmallAccount()
    iamMock.on(ListAccessKeysCommand).rejects(awsError('Throttling', 'Rate exceeded', 400))
    const log = fakeLog()

    await expect(collectInventory(iam, options({ dataSource: 'auto', log }))).rejects.toHaveProperty(
      'message',
      'iam:ListAccessKeys failed (Throttling: Rate exceeded)'
    )
    expect(listAccessKeysUsers()).toEqual(['old-bob'])
    expect(iamMock.commandCalls(ListUsersCommand)).toHaveLength(0)
    expect(log.warning).not.toHaveBeenCalled()
  })

  it('auto: a failed last-use lookup for a confirmed user fails the scan naming iam:GetAccessKeyLastUsed, and lists nothing', async () => {
    // Two keys made in the same second: the report cannot tell their last use apart.
    const created = daysAgo(200)
    serveCredentialReport(credentialReportCsv(credentialReportRow('old-bob', [{ active: true, created }, { active: true, created }])))
    iamMock.on(ListAccessKeysCommand).resolves({
      AccessKeyMetadata: [meta('old-bob', 'AKIAOLDBOB0000000001', 'Active', created), meta('old-bob', 'AKIAOLDBOB0000000002', 'Active', created)]
    })
    iamMock.on(GetAccessKeyLastUsedCommand).rejects(awsError('ServiceFailure', 'boom', 500))

    await expect(
      collectInventory(iam, options({ dataSource: 'auto', policy: { ...POLICY, maxUnusedDays: 30 } }))
    ).rejects.toHaveProperty('message', 'iam:GetAccessKeyLastUsed failed (ServiceFailure: boom)')
    expect(iamMock.commandCalls(ListUsersCommand)).toHaveLength(0)
  })

  it('auto: falls back to listing when the report cannot be read', async () => {
    serveCredentialReport('user,arn\nalice,arn:aws:iam::123456789012:user/alice\n')
    serveSmallAccount()

    const inv = await collectInventory(iam, options({ dataSource: 'auto' }))

    expect(inv.dataSource).toBe('api')
    expect(inv.notes).toEqual([
      'fell back to listing users and keys: credential report lacks the columns access_key_1_active, access_key_1_last_rotated ' +
        '(required: user, arn, access_key_1_active, access_key_1_last_rotated; its first line, which must be the header, is "user,arn")'
    ])
  })

  it('auto: when the fallback listing is denied too, the error names iam:ListUsers', async () => {
    deniedReport()
    iamMock.on(ListUsersCommand).rejects(awsError('AccessDenied', 'not authorized to perform: iam:ListUsers'))

    await expect(collectInventory(iam, options({ dataSource: 'auto' }))).rejects.toHaveProperty(
      'message',
      'iam:ListUsers was denied (AccessDenied: not authorized to perform: iam:ListUsers). Grant iam:ListUsers to the credentials the action uses.'
    )
  })
})

describe('last use the credential report cannot tell apart', () => {
  beforeEach(() => {
    iamMock.reset()
  })

  it('looks up two keys made in the same second instead of copying one key\'s last use to both', async () => {
    const created = daysAgo(84, '10:00:00')
    serveCredentialReport(
      credentialReportCsv(
        credentialReportRow('carol', [
          { active: true, created, lastUsed: daysAgo(1), service: 's3' },
          { active: true, created }
        ])
      )
    )
    iamMock.on(ListAccessKeysCommand).resolves({
      AccessKeyMetadata: [meta('carol', 'AKIACAROL00000000001', 'Active', created), meta('carol', 'AKIACAROL00000000002', 'Active', created)]
    })
    iamMock.on(GetAccessKeyLastUsedCommand).callsFake((input: { AccessKeyId?: string }) => ({
      AccessKeyLastUsed:
        input.AccessKeyId === 'AKIACAROL00000000001'
          ? { LastUsedDate: daysAgo(1), ServiceName: 's3', Region: 'us-east-1' }
          : { ServiceName: 'N/A', Region: 'N/A' }
    }))
    const policy = { ...POLICY, maxUnusedDays: 45 }

    const inv = await inventoryFromCredentialReport(iam, options({ dataSource: 'credential-report', policy }))

    expect(iamMock.commandCalls(GetAccessKeyLastUsedCommand).map((c) => c.args[0].input.AccessKeyId).sort()).toEqual([
      'AKIACAROL00000000001',
      'AKIACAROL00000000002'
    ])
    // Both keys active: the older (the first listed, made in the same second) is also a
    // two-active-keys finding, as it has no more severe kind.
    expect(evaluate(ACCOUNT, inv.keys, policy, NOW).map((f) => [f.kind, f.accessKeyId])).toEqual([
      ['unused', 'AKIACAROL00000000002'],
      ['two-active-keys', 'AKIACAROL00000000001']
    ])
  })

  it('leaves out a key deleted between ListAccessKeys and GetAccessKeyLastUsed (api)', async () => {
    iamMock.on(ListUsersCommand).resolves({ Users: [{ UserName: 'dave', Arn: arn('dave'), UserId: 'AIDADAVE', Path: '/', CreateDate: NOW }] })
    iamMock.on(ListAccessKeysCommand).resolves({
      AccessKeyMetadata: [meta('dave', 'AKIADAVE000000000001', 'Active', daysAgo(100)), meta('dave', 'AKIADAVE000000000002', 'Active', daysAgo(2))]
    })
    iamMock
      .on(GetAccessKeyLastUsedCommand, { AccessKeyId: 'AKIADAVE000000000001' })
      .rejects(new NoSuchEntityException({ message: 'The Access Key with id AKIADAVE000000000001 cannot be found', $metadata: {} }))
      .on(GetAccessKeyLastUsedCommand, { AccessKeyId: 'AKIADAVE000000000002' })
      .resolves({ AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' } })

    const inv = await inventoryFromApi(iam, options({ dataSource: 'api', policy: { ...POLICY, maxUnusedDays: 45 } }))

    expect(inv.keys.map((k) => k.accessKeyId)).toEqual(['AKIADAVE000000000002'])
  })
})
