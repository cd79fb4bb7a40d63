import {
  DeleteAccessKeyCommand,
  GetAccessKeyLastUsedCommand,
  IAMClient,
  ListAccessKeysCommand,
  NoSuchEntityException,
  UpdateAccessKeyCommand,
  type AccessKeyMetadata,
  type ListAccessKeysCommandInput,
  type ListAccessKeysCommandOutput
} from '@aws-sdk/client-iam'
import { afterAll, beforeEach, describe, expect, it } from '@jest/globals'
import { mockClient } from 'aws-sdk-client-mock'
import { AwsCallError, isAccessDenied } from '../../../src/aws/errors.js'
import { deleteKey, lookUpKey, setKeyStatus } from '../../../src/aws/remediation.js'
import { awsError } from '../helpers.js'

const iamMock = mockClient(IAMClient)
const iam = new IAMClient({ region: 'us-east-1' })

const KEY = 'AKIAIOSFODNN7EXAMPLE'
const OTHER = 'AKIAI44QH8DHBEXAMPLE'
const CREATED = new Date('2026-05-01T10:00:00Z')
const USED = new Date('2026-11-20T08:30:00Z')

const meta = (id: string, status: 'Active' | 'Inactive', user = 'alice', created = CREATED): AccessKeyMetadata => ({
  UserName: user,
  AccessKeyId: id,
  Status: status,
  CreateDate: created
})

/** The SDK paginator reuses one input object across pages: keep a copy of each as it arrives. */
let listInputs: ListAccessKeysCommandInput[] = []

/** Serve each user's keys in `pages`, chained with Marker/IsTruncated; a user not there is NoSuchEntity. */
function serveKeys(pages: Record<string, AccessKeyMetadata[][]>) {
  iamMock.on(ListAccessKeysCommand).callsFake((input: ListAccessKeysCommandInput): Partial<ListAccessKeysCommandOutput> => {
    listInputs.push({ ...input })
    const userPages = pages[input.UserName ?? '']
    if (!userPages) throw new NoSuchEntityException({ message: `The user with name ${input.UserName} cannot be found.`, $metadata: {} })
    const index = input.Marker === undefined ? 0 : Number(/^page-(\d+)$/.exec(input.Marker)?.[1] ?? NaN)
    if (!(index in userPages)) throw new Error(`unexpected Marker ${input.Marker}`)
    const more = index + 1 < userPages.length
    return { AccessKeyMetadata: userPages[index], IsTruncated: more, ...(more ? { Marker: `page-${index + 1}` } : {}) }
  })
}

function serveLastUsed(userName: string | undefined, lastUsed: { date?: Date; service: string; region: string }) {
  iamMock.on(GetAccessKeyLastUsedCommand).resolves({
    ...(userName === undefined ? {} : { UserName: userName }),
    AccessKeyLastUsed: { LastUsedDate: lastUsed.date, ServiceName: lastUsed.service, Region: lastUsed.region }
  })
}

const NEVER = { service: 'N/A', region: 'N/A' }

/** Every call the client made, as [command, input]. */
const calls = () => iamMock.calls().map((c) => [c.args[0].constructor.name, (c.args[0] as { input: object }).input])

beforeEach(() => {
  iamMock.reset()
  listInputs = []
})

afterAll(() => {
  iamMock.restore()
})

describe('lookUpKey', () => {
  it("finds an active key: its user, status and creation from ListAccessKeys, its last use from GetAccessKeyLastUsed", async () => {
    serveLastUsed('alice', { date: USED, service: 's3', region: 'eu-west-1' })
    serveKeys({ alice: [[meta(OTHER, 'Inactive'), meta(KEY, 'Active')]] })

    expect(await lookUpKey(iam, KEY)).toEqual({
      accessKeyId: KEY,
      userName: 'alice',
      isRoot: false,
      status: 'Active',
      createdAt: CREATED,
      lastUsedAt: USED,
      lastUsedService: 's3'
    })
    expect(calls()).toEqual([
      ['GetAccessKeyLastUsedCommand', { AccessKeyId: KEY }],
      ['ListAccessKeysCommand', { UserName: 'alice' }]
    ])
  })

  it('finds an inactive key as Inactive', async () => {
    serveLastUsed('alice', { date: USED, service: 'iam', region: 'us-east-1' })
    serveKeys({ alice: [[meta(KEY, 'Inactive')]] })

    expect(await lookUpKey(iam, KEY)).toMatchObject({ userName: 'alice', isRoot: false, status: 'Inactive' })
  })

  it("a key never used (ServiceName 'N/A', no date) has no last use", async () => {
    serveLastUsed('alice', NEVER)
    serveKeys({ alice: [[meta(KEY, 'Active')]] })

    expect(await lookUpKey(iam, KEY)).toMatchObject({ status: 'Active', lastUsedAt: null, lastUsedService: null })
  })

  it('pages through ListAccessKeys until it finds the key', async () => {
    serveLastUsed('alice', NEVER)
    serveKeys({ alice: [[meta('AKIAAAAAAAAAAAAAAAA1', 'Active')], [meta('AKIAAAAAAAAAAAAAAAA2', 'Active')], [meta(KEY, 'Inactive')]] })

    expect(await lookUpKey(iam, KEY)).toMatchObject({ accessKeyId: KEY, status: 'Inactive' })
    expect(listInputs).toEqual([{ UserName: 'alice' }, { UserName: 'alice', Marker: 'page-1' }, { UserName: 'alice', Marker: 'page-2' }])
  })

  it('stops paging once the key is found', async () => {
    serveLastUsed('alice', NEVER)
    serveKeys({ alice: [[meta(KEY, 'Active')], [meta(OTHER, 'Active')]] })

    await lookUpKey(iam, KEY)

    expect(listInputs).toEqual([{ UserName: 'alice' }])
  })

  it("is null for a key not in its user's listing (deleted in between), after every page", async () => {
    serveLastUsed('alice', NEVER)
    serveKeys({ alice: [[meta(OTHER, 'Active')], []] })

    expect(await lookUpKey(iam, KEY)).toBeNull()
    expect(listInputs).toHaveLength(2)
  })

  it('is null for an unknown or deleted key id (GetAccessKeyLastUsed answers NoSuchEntity), and lists nothing', async () => {
    iamMock.on(GetAccessKeyLastUsedCommand).rejects(awsError('NoSuchEntity', `The Access Key with id ${KEY} cannot be found`, 404))

    expect(await lookUpKey(iam, KEY)).toBeNull()
    expect(iamMock.commandCalls(ListAccessKeysCommand)).toHaveLength(0)
  })

  it("is null for a key of another account that IAM answers with a user name (as moto does): that user is not here", async () => {
    serveLastUsed('bob', { date: USED, service: 'sts', region: 'us-east-1' })
    serveKeys({ alice: [[meta(OTHER, 'Active')]] })

    expect(await lookUpKey(iam, KEY)).toBeNull()
    expect(listInputs).toEqual([{ UserName: 'bob' }])
  })

  it("is null for a key of another account whose user's name is also a user here: the key is not in that user's list", async () => {
    serveLastUsed('alice', NEVER)
    serveKeys({ alice: [[meta(OTHER, 'Active')]] })

    expect(await lookUpKey(iam, KEY)).toBeNull()
  })

  it("throws a denial naming iam:GetAccessKeyLastUsed when IAM denies the call (no permission, or another account's key)", async () => {
    iamMock
      .on(GetAccessKeyLastUsedCommand)
      .rejects(awsError('AccessDenied', 'User: arn:aws:sts::123456789012:assumed-role/scan/x is not authorized to perform: iam:GetAccessKeyLastUsed'))

    const err = await lookUpKey(iam, KEY).catch((e: unknown) => e)

    expect(err).toBeInstanceOf(AwsCallError)
    expect((err as AwsCallError).permission).toBe('iam:GetAccessKeyLastUsed')
    expect(isAccessDenied(err)).toBe(true)
    expect((err as Error).message).toMatch(/^iam:GetAccessKeyLastUsed was denied \(AccessDenied: /)
    expect(iamMock.commandCalls(ListAccessKeysCommand)).toHaveLength(0)
  })

  it('throws a denial naming iam:ListAccessKeys when the listing is denied', async () => {
    serveLastUsed('alice', NEVER)
    iamMock.on(ListAccessKeysCommand).rejects(awsError('AccessDenied', 'not authorized to perform: iam:ListAccessKeys'))

    await expect(lookUpKey(iam, KEY)).rejects.toThrow(
      'iam:ListAccessKeys was denied (AccessDenied: not authorized to perform: iam:ListAccessKeys). Grant iam:ListAccessKeys to the credentials the action uses.'
    )
  })

  it('wraps other failures too, naming the action, with key ids in messages masked', async () => {
    iamMock.on(GetAccessKeyLastUsedCommand).rejects(awsError('ServiceFailure', `boom on ${KEY}`, 500, 'server'))

    const err = await lookUpKey(iam, KEY).catch((e: unknown) => e)

    expect(err).toBeInstanceOf(AwsCallError)
    expect((err as Error).message).toBe('iam:GetAccessKeyLastUsed failed (ServiceFailure: boom on AKIA…MPLE)')
    expect(isAccessDenied(err)).toBe(false)
  })

  describe('the root user', () => {
    const ROOT = {
      accessKeyId: KEY,
      userName: '<root_account>',
      isRoot: true,
      status: null,
      createdAt: null,
      lastUsedAt: USED,
      lastUsedService: 'ec2'
    }

    it('a key answered with no user name is the root user\'s, and the root user\'s keys are never listed', async () => {
      serveLastUsed(undefined, { date: USED, service: 'ec2', region: 'us-east-1' })
      serveKeys({})

      expect(await lookUpKey(iam, KEY)).toEqual(ROOT)
      expect(iamMock.commandCalls(ListAccessKeysCommand)).toHaveLength(0)
    })

    it("a key answered as '<root_account>' is the root user's, without a listing", async () => {
      serveLastUsed('<root_account>', { date: USED, service: 'ec2', region: 'us-east-1' })
      serveKeys({})

      expect(await lookUpKey(iam, KEY)).toEqual(ROOT)
      expect(iamMock.commandCalls(ListAccessKeysCommand)).toHaveLength(0)
    })

    it("a key answered as 'root' with no IAM user of that name is the root user's", async () => {
      serveLastUsed('root', { date: USED, service: 'ec2', region: 'us-east-1' })
      serveKeys({})

      expect(await lookUpKey(iam, KEY)).toEqual(ROOT)
      // Only the IAM user named root is asked about, by name: never ListAccessKeys without UserName.
      expect(listInputs).toEqual([{ UserName: 'root' }])
    })

    it("a key answered as 'root' that an IAM user named root does not own is the root user's", async () => {
      serveLastUsed('root', { date: USED, service: 'ec2', region: 'us-east-1' })
      serveKeys({ root: [[meta(OTHER, 'Active', 'root')]] })

      expect(await lookUpKey(iam, KEY)).toEqual(ROOT)
    })

    it('an IAM user named root is an IAM user: its own key is found as one', async () => {
      serveLastUsed('root', NEVER)
      serveKeys({ root: [[meta(KEY, 'Active', 'root')]] })

      expect(await lookUpKey(iam, KEY)).toMatchObject({ userName: 'root', isRoot: false, status: 'Active', createdAt: CREATED })
    })
  })
})

describe('setKeyStatus', () => {
  it.each(['Inactive', 'Active'] as const)('sends UpdateAccessKey %s with exactly the user and key, once, and nothing else', async (status) => {
    iamMock.on(UpdateAccessKeyCommand).resolves({})

    await setKeyStatus(iam, 'alice', KEY, status)

    expect(calls()).toEqual([['UpdateAccessKeyCommand', { UserName: 'alice', AccessKeyId: KEY, Status: status }]])
  })

  it('wraps a denial as iam:UpdateAccessKey', async () => {
    iamMock.on(UpdateAccessKeyCommand).rejects(awsError('AccessDenied', 'not authorized to perform: iam:UpdateAccessKey'))

    const err = await setKeyStatus(iam, 'alice', KEY, 'Inactive').catch((e: unknown) => e)

    expect(err).toBeInstanceOf(AwsCallError)
    expect((err as AwsCallError).permission).toBe('iam:UpdateAccessKey')
    expect(isAccessDenied(err)).toBe(true)
    expect(iamMock.calls()).toHaveLength(1)
  })

  it('reports a key gone since it was checked (NoSuchEntity) as a failure: nothing was changed', async () => {
    iamMock.on(UpdateAccessKeyCommand).rejects(awsError('NoSuchEntity', `The Access Key with id ${KEY} cannot be found`, 404))

    await expect(setKeyStatus(iam, 'alice', KEY, 'Inactive')).rejects.toThrow(
      'iam:UpdateAccessKey failed (NoSuchEntity: The Access Key with id AKIA…MPLE cannot be found)'
    )
  })
})

describe('deleteKey', () => {
  it('sends DeleteAccessKey with exactly the user and key, once, and nothing else', async () => {
    iamMock.on(DeleteAccessKeyCommand).resolves({})

    await deleteKey(iam, 'alice', KEY)

    expect(calls()).toEqual([['DeleteAccessKeyCommand', { UserName: 'alice', AccessKeyId: KEY }]])
  })

  it.each([
    ['NoSuchEntity', awsError('NoSuchEntity', `The Access Key with id ${KEY} cannot be found`, 404)],
    ['NoSuchEntityException', new NoSuchEntityException({ message: `The Access Key with id ${KEY} cannot be found`, $metadata: {} })]
  ])('takes %s as already deleted (a retried attempt after IAM had deleted it) and returns normally', async (_name, error) => {
    iamMock.on(DeleteAccessKeyCommand).rejects(error)

    await expect(deleteKey(iam, 'alice', KEY)).resolves.toBeUndefined()
    expect(iamMock.calls()).toHaveLength(1)
  })

  it('wraps a denial as iam:DeleteAccessKey', async () => {
    iamMock.on(DeleteAccessKeyCommand).rejects(awsError('AccessDenied', 'not authorized to perform: iam:DeleteAccessKey'))

    const err = await deleteKey(iam, 'alice', KEY).catch((e: unknown) => e)

    expect(err).toBeInstanceOf(AwsCallError)
    expect((err as AwsCallError).permission).toBe('iam:DeleteAccessKey')
    expect(isAccessDenied(err)).toBe(true)
  })

  it('wraps other failures (throttled past every attempt) as iam:DeleteAccessKey', async () => {
    iamMock.on(DeleteAccessKeyCommand).rejects(awsError('Throttling', 'Rate exceeded', 400))

    await expect(deleteKey(iam, 'alice', KEY)).rejects.toThrow('iam:DeleteAccessKey failed (Throttling: Rate exceeded)')
  })
})
