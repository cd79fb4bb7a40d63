import {
  IAMClient,
  ListUserTagsCommand,
  NoSuchEntityException,
  type ListUserTagsCommandInput,
  type ListUserTagsCommandOutput,
  type Tag
} from '@aws-sdk/client-iam'
import { afterAll, beforeEach, describe, expect, it } from '@jest/globals'
import { mockClient } from 'aws-sdk-client-mock'
import { AwsCallError } from '../../../src/aws/errors.js'
import { readUserTag } from '../../../src/aws/tags.js'
import { awsError } from '../helpers.js'

const iamMock = mockClient(IAMClient)
const iam = new IAMClient({ region: 'us-east-1' })

const TAG = 'key-sentry:exempt'

/** The SDK paginator reuses one input object across pages: keep a copy of each as it arrives. */
let inputs: ListUserTagsCommandInput[] = []

/** Serve each user's tags from `pages` (one array per page), chained with Marker/IsTruncated. */
function serveTags(pages: Record<string, Tag[][]>) {
  iamMock.on(ListUserTagsCommand).callsFake((input: ListUserTagsCommandInput): Partial<ListUserTagsCommandOutput> => {
    inputs.push({ ...input })
    const userPages = pages[input.UserName ?? '']
    if (!userPages) throw new Error(`ListUserTags was not expected for ${input.UserName}`)
    const index = input.Marker === undefined ? 0 : Number(/^page-(\d+)$/.exec(input.Marker)?.[1] ?? NaN)
    if (!(index in userPages)) throw new Error(`unexpected Marker ${input.Marker} for ${input.UserName}`)
    const more = index + 1 < userPages.length
    return more
      ? { Tags: userPages[index], IsTruncated: true, Marker: `page-${index + 1}` }
      : { Tags: userPages[index], IsTruncated: false }
  })
}

const calledUsers = () => inputs.map((i) => i.UserName)

beforeEach(() => {
  iamMock.reset()
  inputs = []
})

afterAll(() => {
  iamMock.restore()
})

describe('readUserTag', () => {
  it("returns each user's value of the tag, and undefined for a user without it", async () => {
    serveTags({
      alice: [
        [
          { Key: 'team', Value: 'payments' },
          { Key: TAG, Value: 'true' }
        ]
      ],
      bob: [[{ Key: TAG, Value: '2026-12-31' }]],
      carol: [[{ Key: 'team', Value: 'infra' }]],
      dave: [[]]
    })

    const tags = await readUserTag(iam, ['alice', 'bob', 'carol', 'dave'], TAG, 4)

    expect([...tags.entries()]).toEqual([
      ['alice', 'true'],
      ['bob', '2026-12-31'],
      ['carol', undefined],
      ['dave', undefined]
    ])
    expect(tags.has('carol')).toBe(true)
    expect(calledUsers().sort()).toEqual(['alice', 'bob', 'carol', 'dave'])
  })

  it('keeps the value as AWS returns it (no trimming, no case change), and an empty value as ""', async () => {
    serveTags({
      alice: [[{ Key: TAG, Value: ' TRUE ' }]],
      bob: [[{ Key: TAG, Value: '' }]],
      carol: [[{ Key: TAG } as Tag]] // no Value at all
    })

    const tags = await readUserTag(iam, ['alice', 'bob', 'carol'], TAG, 2)

    expect([...tags.entries()]).toEqual([
      ['alice', ' TRUE '],
      ['bob', ''],
      ['carol', '']
    ])
  })

  it('matches the tag key exactly, not a similar key', async () => {
    serveTags({
      alice: [
        [
          { Key: `${TAG}-until`, Value: 'true' },
          { Key: 'key-sentry', Value: 'true' }
        ]
      ]
    })

    const tags = await readUserTag(iam, ['alice'], TAG, 1)

    expect([...tags.entries()]).toEqual([['alice', undefined]])
  })

  it('matches the tag key regardless of case, as IAM does', async () => {
    serveTags({ alice: [[{ Key: 'Key-Sentry:Exempt', Value: 'true' }]] })

    const tags = await readUserTag(iam, ['alice'], TAG, 1)

    expect([...tags.entries()]).toEqual([['alice', 'true']])
  })

  it('reads the tag key it is given', async () => {
    serveTags({
      alice: [
        [
          { Key: TAG, Value: 'true' },
          { Key: 'sentry-skip', Value: '2027-01-31' }
        ]
      ]
    })

    const tags = await readUserTag(iam, ['alice'], 'sentry-skip', 1)

    expect([...tags.entries()]).toEqual([['alice', '2027-01-31']])
  })

  it('pages through ListUserTags until the tag is found, and no further', async () => {
    serveTags({
      alice: [
        [{ Key: 'a', Value: '1' }],
        [{ Key: 'b', Value: '2' }],
        [{ Key: TAG, Value: '2027-03-01' }],
        [{ Key: 'never-read', Value: 'x' }]
      ]
    })

    const tags = await readUserTag(iam, ['alice'], TAG, 1)

    expect([...tags.entries()]).toEqual([['alice', '2027-03-01']])
    expect(inputs).toEqual([
      { UserName: 'alice' },
      { UserName: 'alice', Marker: 'page-1' },
      { UserName: 'alice', Marker: 'page-2' }
    ])
    expect(iamMock.commandCalls(ListUserTagsCommand)).toHaveLength(3)
  })

  it('reads every page of a user without the tag', async () => {
    serveTags({
      alice: [[{ Key: 'a', Value: '1' }], [], [{ Key: 'c', Value: '3' }]]
    })

    const tags = await readUserTag(iam, ['alice'], TAG, 1)

    expect([...tags.entries()]).toEqual([['alice', undefined]])
    expect(inputs).toEqual([
      { UserName: 'alice' },
      { UserName: 'alice', Marker: 'page-1' },
      { UserName: 'alice', Marker: 'page-2' }
    ])
  })

  it('makes no call for no users', async () => {
    serveTags({})

    const tags = await readUserTag(iam, [], TAG, 4)

    expect(tags.size).toBe(0)
    expect(iamMock.commandCalls(ListUserTagsCommand)).toHaveLength(0)
  })

  it.each([
    ['NoSuchEntityException', () => new NoSuchEntityException({ message: 'The user with name gone cannot be found.', $metadata: {} })],
    ['NoSuchEntity', () => awsError('NoSuchEntity', 'The user with name gone cannot be found.', 404)]
  ])('a user deleted since it was listed (%s) has no tag', async (_name, error) => {
    iamMock.on(ListUserTagsCommand).callsFake((input: ListUserTagsCommandInput) => {
      inputs.push({ ...input })
      if (input.UserName === 'gone') throw error()
      return { Tags: [{ Key: TAG, Value: 'true' }], IsTruncated: false }
    })

    const tags = await readUserTag(iam, ['alice', 'gone', 'bob'], TAG, 2)

    expect([...tags.entries()]).toEqual([
      ['alice', 'true'],
      ['gone', undefined],
      ['bob', 'true']
    ])
  })

  it('a user deleted between two pages has no tag', async () => {
    iamMock.on(ListUserTagsCommand).callsFake((input: ListUserTagsCommandInput) => {
      inputs.push({ ...input })
      if (input.Marker === undefined) return { Tags: [{ Key: 'a', Value: '1' }], IsTruncated: true, Marker: 'page-1' }
      throw awsError('NoSuchEntity', 'gone', 404)
    })

    const tags = await readUserTag(iam, ['alice'], TAG, 1)

    expect([...tags.entries()]).toEqual([['alice', undefined]])
    expect(inputs).toHaveLength(2)
  })

  it('AccessDenied fails with an error that names iam:ListUserTags', async () => {
    iamMock
      .on(ListUserTagsCommand)
      .rejects(awsError('AccessDenied', 'User: arn:aws:sts::123456789012:assumed-role/ci/x is not authorized to perform: iam:ListUserTags'))

    const read = readUserTag(iam, ['alice'], TAG, 1)

    await expect(read).rejects.toBeInstanceOf(AwsCallError)
    await expect(read).rejects.toHaveProperty(
      'message',
      'iam:ListUserTags was denied (AccessDenied: User: arn:aws:sts::123456789012:assumed-role/ci/x is not authorized to perform: iam:ListUserTags). Grant iam:ListUserTags to the credentials the action uses.'
    )
    await expect(read).rejects.toHaveProperty('permission', 'iam:ListUserTags')
  })

  it('a denied later page fails too', async () => {
    iamMock.on(ListUserTagsCommand).callsFake((input: ListUserTagsCommandInput) => {
      if (input.Marker === undefined) return { Tags: [], IsTruncated: true, Marker: 'page-1' }
      throw awsError('AccessDenied', 'denied on page 2')
    })

    await expect(readUserTag(iam, ['alice'], TAG, 1)).rejects.toThrow(
      'iam:ListUserTags was denied (AccessDenied: denied on page 2). Grant iam:ListUserTags to the credentials the action uses.'
    )
  })

  it('any other failure is an error that names iam:ListUserTags', async () => {
    iamMock.on(ListUserTagsCommand).rejects(awsError('ServiceFailure', 'internal error', 500, 'server'))

    await expect(readUserTag(iam, ['alice'], TAG, 1)).rejects.toHaveProperty(
      'message',
      'iam:ListUserTags failed (ServiceFailure: internal error)'
    )
  })

  it.each([1, 3, 8])('keeps at most %i ListUserTags calls in flight', async (concurrency) => {
    const names = Array.from({ length: 20 }, (_, i) => `user-${String(i).padStart(2, '0')}`)
    let inFlight = 0
    let maxInFlight = 0
    iamMock.on(ListUserTagsCommand).callsFake(async (input: ListUserTagsCommandInput) => {
      inputs.push({ ...input })
      inFlight += 1
      maxInFlight = Math.max(maxInFlight, inFlight)
      try {
        await new Promise((resolve) => setTimeout(resolve, 5))
        return { Tags: [{ Key: TAG, Value: input.UserName === 'user-07' ? 'true' : '2027-01-01' }], IsTruncated: false }
      } finally {
        inFlight -= 1
      }
    })

    const tags = await readUserTag(iam, names, TAG, concurrency)

    expect(maxInFlight).toBe(concurrency)
    expect(calledUsers().sort()).toEqual(names)
    // Results stay in input order whatever order the calls finish in.
    expect([...tags.keys()]).toEqual(names)
    expect(tags.get('user-07')).toBe('true')
    expect(tags.get('user-08')).toBe('2027-01-01')
  })
})
