import { beforeEach, describe, expect, it, jest } from '@jest/globals'
import { accountReport } from '../../../src/core/report.js'
import { closingComment, duplicateComment, issueMarker, renderIssueBody } from '../../../src/render/issue-body.js'
import type { Logger } from '../../../src/core/model.js'
import { RequestTimeoutError } from '../../../src/core/deadline.js'
import type { Octokit } from '../../../src/sinks/octokit.js'
import {
  decideIssueAction,
  describeGithubError,
  findIdentity,
  isOurs,
  oldestFirst,
  placeRecord,
  readIssueRecord,
  syncTrackingIssues,
  type IssueRecord,
  type OpenIssue,
  type TrackingOptions
} from '../../../src/sinks/tracking-issue.js'
import { decodeState, encodeState, STATE_MAX_CHARS } from '../../../src/render/issue-state.js'
import { readRecordPointer, recordCommentBody, recordPointer } from '../../../src/render/issue-record.js'
import type { Baseline } from '../../../src/core/lifecycle.js'
import { ACCOUNT, OTHER_ACCOUNT, accountScan, finding, makeReport } from '../helpers.js'

const REPO = { owner: 'octo-org', repo: 'infra' }
const RUN_URL = 'https://github.com/octo-org/infra/actions/runs/4242'
const LABELS = ['security', 'iam-key-sentry']
const ISSUES_URL = 'https://github.com/octo-org/infra/issues'

type Params = Record<string, unknown>
type Call = [string, Params]

interface IssueItem {
  number: number
  title: string
  body: string | null
  html_url: string
  created_at: string
  user: { login: string; type: string } | null
  pull_request?: unknown
}

const BOT = { login: 'github-actions[bot]', type: 'Bot' }
const API_ISSUES = 'https://api.github.com/repos/octo-org/infra/issues'

/** A comment as the hand-made Octokit keeps it. */
interface StoredComment {
  body: string
  user: { login: string; type: string } | null
  issue_url: string
}

/** An open issue as the REST listing returns it: opened by the default token's bot, unless said. */
function item(
  number: number,
  body: string | null,
  title = `IAM Key Sentry: 5 stale access keys in account ${ACCOUNT}`,
  more: Partial<IssueItem> = {}
): IssueItem {
  const created_at = new Date(Date.UTC(2026, 0, 1) + number * 1000).toISOString().replace('.000Z', 'Z')
  return { number, title, body, html_url: `${ISSUES_URL}/${number}`, created_at, user: BOT, ...more }
}

const refused = (message: string, status = 403) => Object.assign(new Error(message), { status })
/** What @octokit/graphql throws when GraphQL answers with errors (its HTTP status was 200). */
const graphqlRefused = (message: string) => Object.assign(new Error(message), { name: 'GraphqlResponseError' })

const bodyFor = (accountId: string) => `${issueMarker(accountId)}\n## IAM access keys to fix in account ${accountId}\n\nold body`

/**
 * A hand-made Octokit: `paginate` answers with the canned issues of the `labels` parameter
 * ('' for the unlabelled listing), to which created issues are added; every call, in order,
 * lands in `calls`. The token is an installation token: /user refuses it, GraphQL names its bot.
 * `racer`: an issue another run creates (labelled `security`) at the same time as the first creation.
 */
function fakeOctokit(listings: Record<string, IssueItem[]> = {}, racer?: IssueItem, comments: Map<number, StoredComment> = new Map()) {
  const calls: Call[] = []
  const record =
    <T>(name: string, answer: (params: Params) => T) =>
    async (params: Params) => {
      calls.push([name, params])
      return answer(params)
    }
  let nextNumber = 101
  let nextComment = 9001
  const issues = {
    listForRepo: jest.fn(record('listForRepo', () => ({ data: [] }))),
    create: jest.fn(
      record('create', (params) => {
        const number = nextNumber++
        const created = item(number, params.body as string, params.title as string)
        const added = racer && number === 101 ? [created, racer] : [created]
        for (const label of [...((params.labels as string[]) ?? []), '']) {
          listings[label] = [...added, ...(listings[label] ?? [])].sort((a, b) => b.number - a.number)
        }
        return { data: { number, html_url: `${ISSUES_URL}/${number}` } }
      })
    ),
    update: jest.fn(record('update', () => ({ data: {} }))),
    createComment: jest.fn(
      record('createComment', (params) => {
        const id = nextComment++
        comments.set(id, { body: params.body as string, user: BOT, issue_url: `${API_ISSUES}/${params.issue_number as number}` })
        return { data: { id } }
      })
    ),
    getComment: jest.fn(
      record('getComment', (params) => {
        const comment = comments.get(params.comment_id as number)
        if (!comment) throw refused('Not Found', 404)
        return { data: { id: params.comment_id, ...comment } }
      })
    ),
    updateComment: jest.fn(
      record('updateComment', (params) => {
        const comment = comments.get(params.comment_id as number)
        if (!comment) throw refused('Not Found', 404)
        comment.body = params.body as string
        return { data: { id: params.comment_id, ...comment } }
      })
    ),
    deleteComment: jest.fn(
      record('deleteComment', (params) => {
        if (!comments.delete(params.comment_id as number)) throw refused('Not Found', 404)
        return { data: undefined }
      })
    ),
    createLabel: jest.fn(record('createLabel', () => ({ data: {} })))
  }
  const paginate = jest.fn(async (method: unknown, params: Params) => {
    if (method !== issues.listForRepo) throw new Error('paginate was given another method than issues.listForRepo')
    calls.push(['paginate', params])
    return listings[(params.labels as string | undefined) ?? ''] ?? []
  })
  const users = {
    getAuthenticated: jest.fn(
      record('getAuthenticated', (): { data: { login: string } } => {
        throw refused('Resource not accessible by integration')
      })
    )
  }
  const graphql = jest.fn(record('graphql', (): unknown => ({ viewer: { login: BOT.login } })))
  const octokit = { paginate, graphql, rest: { issues, users } } as unknown as Octokit
  /** The calls other than the listings and the identity's. */
  const writes = () => calls.filter(([name]) => !['paginate', 'getAuthenticated', 'graphql'].includes(name))
  const listings_ = () => calls.filter(([name]) => name === 'paginate').map(([, params]) => params)
  return { octokit, issues, users, graphql, paginate, calls, writes, listings: listings_, comments }
}

const labelled = (label: string) => ({ ...REPO, state: 'open', per_page: 100, labels: label })
const unlabelled = { ...REPO, state: 'open', per_page: 100 }

let log: { info: jest.Mock<(m: string) => void>; warning: jest.Mock<(m: string) => void>; debug: jest.Mock<(m: string) => void> }

function options(overrides: Partial<TrackingOptions> = {}): TrackingOptions {
  return { labels: LABELS, assignees: [], maskKeyIds: true, runUrl: RUN_URL, log: log as Logger, ...overrides }
}

const staleReport = () =>
  makeReport({
    findings: [
      finding({ userName: 'old-alice', accessKeyId: 'AKIA1234567890ABWXYZ', ageDays: 200 }),
      finding({ userName: 'old-bob', accessKeyId: 'AKIAZZZZZZZZZZZZ0042', ageDays: 95 })
    ]
  })

beforeEach(() => {
  log = { info: jest.fn(), warning: jest.fn(), debug: jest.fn() }
})

describe('decideIssueAction', () => {
  const open: OpenIssue = { number: 7, title: 't', body: bodyFor(ACCOUNT), url: `${ISSUES_URL}/7` }

  it.each([
    [true, true, 'an open issue', 'update'],
    [true, true, 'no issue', 'create'],
    [false, true, 'an open issue', 'close'],
    [false, true, 'no issue', 'none'],
    [true, false, 'an open issue', 'none'],
    [true, false, 'no issue', 'none'],
    [false, false, 'an open issue', 'none'],
    [false, false, 'no issue', 'none']
  ] as const)('findings=%s complete=%s with %s -> %s', (hasFindings, complete, existing, action) => {
    expect(decideIssueAction(hasFindings, complete, existing === 'no issue' ? null : open)).toBe(action)
  })

  it('never closes or touches an issue after an incomplete scan', () => {
    expect(decideIssueAction(false, false, open)).not.toBe('close')
    expect(decideIssueAction(true, false, null)).not.toBe('create')
  })
})

describe('syncTrackingIssues: no open issue', () => {
  it('lists by each label, then unlabelled, creates the labels and opens the issue', async () => {
    const gh = fakeOctokit()
    const report = staleReport()
    const results = await syncTrackingIssues(gh.octokit, REPO, report, options({ assignees: ['sec-lead'] }))

    // After the creation, a look again (another run may have created one at the same time).
    expect(gh.listings()).toEqual([labelled('security'), labelled('iam-key-sentry'), unlabelled, labelled('security')])
    const account = accountReport(report, ACCOUNT)
    expect(gh.writes()).toEqual([
      ['createLabel', { ...REPO, name: 'security', color: 'b60205' }],
      ['createLabel', { ...REPO, name: 'iam-key-sentry', color: 'b60205' }],
      [
        'create',
        {
          ...REPO,
          title: 'IAM Key Sentry: 2 stale access keys in account 123456789012',
          body: renderIssueBody(account, ACCOUNT, { maskKeyIds: true, runUrl: RUN_URL }),
          labels: ['security', 'iam-key-sentry'],
          assignees: ['sec-lead']
        }
      ]
    ])
    const body = gh.issues.create.mock.calls[0][0].body as string
    expect(body.startsWith(`${issueMarker(ACCOUNT)}\n`)).toBe(true)
    expect(body).toContain('`AKIA…WXYZ`')
    expect(body).not.toContain('AKIA1234567890ABWXYZ')
    expect(results).toEqual([{ accountId: ACCOUNT, action: 'create', open: { number: 101, url: `${ISSUES_URL}/101` } }])
    expect(log.info.mock.calls).toEqual([['[123456789012] Opened tracking issue #101']])
  })

  it('puts full key ids in the body when masking is off', async () => {
    const gh = fakeOctokit()
    await syncTrackingIssues(gh.octokit, REPO, staleReport(), options({ maskKeyIds: false }))
    expect(gh.issues.create.mock.calls[0][0].body).toContain('`AKIA1234567890ABWXYZ`')
  })

  it('tolerates a 422 from createLabel (the label exists)', async () => {
    const gh = fakeOctokit()
    gh.issues.createLabel.mockRejectedValueOnce(Object.assign(new Error('Validation Failed'), { status: 422 }))
    const results = await syncTrackingIssues(gh.octokit, REPO, staleReport(), options())
    expect(gh.issues.createLabel).toHaveBeenCalledTimes(2)
    expect(gh.issues.create).toHaveBeenCalledTimes(1)
    expect(results[0]).toEqual({ accountId: ACCOUNT, action: 'create', open: { number: 101, url: `${ISSUES_URL}/101` } })
  })

  it('lets any other createLabel error through, and opens no issue', async () => {
    const gh = fakeOctokit()
    const denied = Object.assign(new Error('Resource not accessible by integration'), { status: 403 })
    gh.issues.createLabel.mockRejectedValueOnce(denied)
    await expect(syncTrackingIssues(gh.octokit, REPO, staleReport(), options())).rejects.toBe(denied)
    expect(gh.issues.createLabel).toHaveBeenCalledTimes(1)
    expect(gh.issues.create).not.toHaveBeenCalled()
  })

  it('does nothing for a clean account', async () => {
    const gh = fakeOctokit()
    const results = await syncTrackingIssues(gh.octokit, REPO, makeReport(), options())
    expect(gh.listings()).toEqual([labelled('security'), labelled('iam-key-sentry'), unlabelled])
    expect(gh.writes()).toEqual([])
    expect(results).toEqual([{ accountId: ACCOUNT, action: 'none', open: null }])
  })

  it('does not count exempt findings: an account with only exemptions gets no issue', async () => {
    const gh = fakeOctokit()
    const report = makeReport({ findings: [finding({ exempt: true, exemptReason: 'exempt-users svc-*' })] })
    const results = await syncTrackingIssues(gh.octokit, REPO, report, options())
    expect(gh.writes()).toEqual([])
    expect(results).toEqual([{ accountId: ACCOUNT, action: 'none', open: null }])
  })

  it('ignores a pull request that carries the marker, and opens an issue', async () => {
    const pr = { ...item(55, bodyFor(ACCOUNT)), pull_request: { url: 'https://api.github.com/repos/octo-org/infra/pulls/55' } }
    const gh = fakeOctokit({ security: [pr], '': [pr] })
    const results = await syncTrackingIssues(gh.octokit, REPO, staleReport(), options())
    expect(gh.issues.update).not.toHaveBeenCalled()
    expect(gh.issues.create).toHaveBeenCalledTimes(1)
    expect(results).toEqual([{ accountId: ACCOUNT, action: 'create', open: { number: 101, url: `${ISSUES_URL}/101` } }])
  })

  it('does not take the issue of another account, even one whose id starts the same', async () => {
    const gh = fakeOctokit({ security: [item(8, bodyFor(`${ACCOUNT}9`)), item(9, bodyFor(OTHER_ACCOUNT)), item(10, null)] })
    const results = await syncTrackingIssues(gh.octokit, REPO, staleReport(), options())
    expect(gh.issues.update).not.toHaveBeenCalled()
    expect(results[0].action).toBe('create')
  })
})

describe('syncTrackingIssues: an open issue', () => {
  it('is found under the first label and rewritten, with a fresh title when the title is ours', async () => {
    const gh = fakeOctokit({ security: [item(3, 'unrelated'), item(7, bodyFor(ACCOUNT))] })
    const report = staleReport()
    const results = await syncTrackingIssues(gh.octokit, REPO, report, options())

    // Every account found: no further listing.
    expect(gh.listings()).toEqual([labelled('security')])
    expect(gh.writes()).toEqual([
      [
        'update',
        {
          ...REPO,
          issue_number: 7,
          body: renderIssueBody(accountReport(report, ACCOUNT), ACCOUNT, { maskKeyIds: true, runUrl: RUN_URL }),
          title: 'IAM Key Sentry: 2 stale access keys in account 123456789012'
        }
      ]
    ])
    expect(results).toEqual([{ accountId: ACCOUNT, action: 'update', open: { number: 7, url: `${ISSUES_URL}/7` } }])
    expect(log.info.mock.calls).toEqual([['[123456789012] Updated tracking issue #7']])
  })

  it('keeps a title a person chose', async () => {
    const gh = fakeOctokit({ 'iam-key-sentry': [item(7, bodyFor(ACCOUNT), 'Rotate the CI keys (owner: @platform)')] })
    await syncTrackingIssues(gh.octokit, REPO, staleReport(), options())
    expect(gh.listings()).toEqual([labelled('security'), labelled('iam-key-sentry')])
    expect(gh.issues.update).toHaveBeenCalledTimes(1)
    const params = gh.issues.update.mock.calls[0][0]
    expect(Object.keys(params).sort()).toEqual(['body', 'issue_number', 'owner', 'repo'])
    expect(params.issue_number).toBe(7)
  })

  it('is found through the unlabelled listing when a person removed the labels', async () => {
    const gh = fakeOctokit({ '': [item(2, 'a bug report'), item(12, bodyFor(ACCOUNT))] })
    const results = await syncTrackingIssues(gh.octokit, REPO, staleReport(), options())
    expect(gh.listings()).toEqual([labelled('security'), labelled('iam-key-sentry'), unlabelled])
    expect(gh.paginate.mock.calls.map(([method]) => method)).toEqual([
      gh.issues.listForRepo,
      gh.issues.listForRepo,
      gh.issues.listForRepo
    ])
    expect(gh.issues.create).not.toHaveBeenCalled()
    expect(gh.issues.createLabel).not.toHaveBeenCalled()
    expect(gh.issues.update.mock.calls.map(([p]) => p.issue_number)).toEqual([12])
    expect(results).toEqual([{ accountId: ACCOUNT, action: 'update', open: { number: 12, url: `${ISSUES_URL}/12` } }])
  })


  it('gets a comment, then is closed as completed, when the account is clean', async () => {
    const gh = fakeOctokit({ security: [item(7, bodyFor(ACCOUNT))] })
    const report = makeReport({ keys: 14 })
    const results = await syncTrackingIssues(gh.octokit, REPO, report, options())
    expect(gh.writes()).toEqual([
      [
        'createComment',
        {
          ...REPO,
          issue_number: 7,
          body: `All 14 access keys are within policy in account 123456789012 as of 2026-11-24T12:00:00Z ([workflow run](${RUN_URL})). Closing.`
        }
      ],
      ['update', { ...REPO, issue_number: 7, state: 'closed', state_reason: 'completed' }]
    ])
    expect(gh.issues.createComment.mock.calls[0][0].body).toBe(closingComment(accountReport(report, ACCOUNT), ACCOUNT, RUN_URL))
    expect(results).toEqual([{ accountId: ACCOUNT, action: 'close', open: null }])
    expect(log.info.mock.calls).toEqual([['[123456789012] Closed tracking issue #7: the account is clean']])
  })
})

describe('syncTrackingIssues: several accounts, and failed scans', () => {
  it('does nothing for an account whose scan failed, and leaves its issue open', async () => {
    const report = makeReport({
      scans: [accountScan({ accountId: ACCOUNT, findings: [finding({ userName: 'old-alice' })] })],
      failures: [{ accountId: OTHER_ACCOUNT, error: 'sts:AssumeRole was denied' }]
    })
    const gh = fakeOctokit({ security: [item(30, bodyFor(OTHER_ACCOUNT), `IAM Key Sentry: 1 stale access key in account ${OTHER_ACCOUNT}`)] })
    const results = await syncTrackingIssues(gh.octokit, REPO, report, options())

    expect(gh.writes().map(([name]) => name)).toEqual(['createLabel', 'createLabel', 'create'])
    expect((gh.issues.create.mock.calls[0][0].body as string).startsWith(issueMarker(ACCOUNT))).toBe(true)
    expect(results).toEqual([
      { accountId: ACCOUNT, action: 'create', open: { number: 101, url: `${ISSUES_URL}/101` } },
      { accountId: OTHER_ACCOUNT, action: 'none', open: { number: 30, url: `${ISSUES_URL}/30` } }
    ])
  })

  it('never closes the issue of an account whose only scan failed', async () => {
    const report = makeReport({ scans: [], failures: [{ accountId: ACCOUNT, error: 'iam:GenerateCredentialReport was denied' }] })
    const gh = fakeOctokit({ security: [item(7, bodyFor(ACCOUNT))] })
    const results = await syncTrackingIssues(gh.octokit, REPO, report, options())
    expect(gh.writes()).toEqual([])
    expect(results).toEqual([{ accountId: ACCOUNT, action: 'none', open: { number: 7, url: `${ISSUES_URL}/7` } }])
  })

  it('handles each account on its own and returns the open issue of each', async () => {
    const report = makeReport({
      scans: [
        accountScan({ accountId: ACCOUNT, findings: [finding({ userName: 'old-alice' })] }),
        accountScan({ accountId: OTHER_ACCOUNT, keys: 9, findings: [] })
      ]
    })
    const gh = fakeOctokit({
      // OTHER_ACCOUNT's issue is found by the first label, ACCOUNT's only by the second.
      security: [item(40, bodyFor(OTHER_ACCOUNT))],
      'iam-key-sentry': [item(40, bodyFor(OTHER_ACCOUNT)), item(41, bodyFor(ACCOUNT))]
    })
    const results = await syncTrackingIssues(gh.octokit, REPO, report, options())

    expect(gh.listings()).toEqual([labelled('security'), labelled('iam-key-sentry')])
    expect(gh.writes()).toEqual([
      [
        'update',
        {
          ...REPO,
          issue_number: 41,
          body: renderIssueBody(accountReport(report, ACCOUNT), ACCOUNT, { maskKeyIds: true, runUrl: RUN_URL }),
          title: 'IAM Key Sentry: 1 stale access key in account 123456789012'
        }
      ],
      [
        'createComment',
        {
          ...REPO,
          issue_number: 40,
          body: `All 9 access keys are within policy in account 210987654321 as of 2026-11-24T12:00:00Z ([workflow run](${RUN_URL})). Closing.`
        }
      ],
      ['update', { ...REPO, issue_number: 40, state: 'closed', state_reason: 'completed' }]
    ])
    expect(results).toEqual([
      { accountId: ACCOUNT, action: 'update', open: { number: 41, url: `${ISSUES_URL}/41` } },
      { accountId: OTHER_ACCOUNT, action: 'close', open: null }
    ])
  })

  it('opens one issue per account with findings, each with its own marker', async () => {
    const report = makeReport({
      scans: [
        accountScan({ accountId: ACCOUNT, findings: [finding({ userName: 'old-alice' })] }),
        accountScan({ accountId: OTHER_ACCOUNT, findings: [finding({ accountId: OTHER_ACCOUNT, userName: 'carol', kind: 'inactive' })] })
      ]
    })
    const gh = fakeOctokit()
    const results = await syncTrackingIssues(gh.octokit, REPO, report, options())
    const created = gh.issues.create.mock.calls.map(([p]) => [p.title, (p.body as string).split('\n')[0]])
    expect(created).toEqual([
      ['IAM Key Sentry: 1 stale access key in account 123456789012', issueMarker(ACCOUNT)],
      ['IAM Key Sentry: 1 IAM access key finding in account 210987654321', issueMarker(OTHER_ACCOUNT)]
    ])
    expect(results.map((r) => r.open)).toEqual([
      { number: 101, url: `${ISSUES_URL}/101` },
      { number: 102, url: `${ISSUES_URL}/102` }
    ])
    // Three to find none, then one look again for every issue this run opened (requests do not grow with accounts).
    expect(gh.paginate).toHaveBeenCalledTimes(4)
  })
})

describe('findIdentity: the account whose issues are ours', () => {
  it('is the user of a personal token, from GET /user', async () => {
    const gh = fakeOctokit()
    gh.users.getAuthenticated.mockResolvedValueOnce({ data: { login: 'sec-automation' } })
    expect(await findIdentity(gh.octokit, log as Logger)).toEqual({ login: 'sec-automation' })
    expect(gh.graphql).not.toHaveBeenCalled()
  })

  it("is an installation token's bot, from GraphQL's viewer, when /user refuses it", async () => {
    const gh = fakeOctokit()
    gh.graphql.mockResolvedValueOnce({ viewer: { login: 'acme-sentry[bot]' } })
    expect(await findIdentity(gh.octokit, log as Logger)).toEqual({ login: 'acme-sentry[bot]' })
    expect(gh.graphql.mock.calls[0][0]).toMatch(/viewer\s*{\s*login\s*}/)
  })

  it("is the default token's bot, with a warning, when GraphQL cannot name the installation either", async () => {
    const gh = fakeOctokit()
    gh.graphql.mockRejectedValueOnce(graphqlRefused('Resource not accessible by integration'))
    expect(await findIdentity(gh.octokit, log as Logger)).toEqual({ login: 'github-actions[bot]' })
    expect(log.warning).toHaveBeenCalledWith(expect.stringContaining('only issues opened by github-actions[bot] are taken for ours'))
  })

  // A rate limit is a 403 too: it must fail the sink, not pass for an installation token.
  it('lets a rate-limited /user through, without asking GraphQL', async () => {
    const gh = fakeOctokit()
    const limited = refused('API rate limit exceeded for user ID 1.')
    gh.users.getAuthenticated.mockRejectedValueOnce(limited)
    await expect(findIdentity(gh.octokit, log as Logger)).rejects.toBe(limited)
    expect(gh.graphql).not.toHaveBeenCalled()
  })

  it('lets a failed GraphQL request (rate limit, timeout, 5xx) through instead of trusting any bot', async () => {
    const gh = fakeOctokit()
    const limited = refused('API rate limit exceeded for installation ID 1.')
    gh.graphql.mockRejectedValueOnce(limited)
    await expect(findIdentity(gh.octokit, log as Logger)).rejects.toBe(limited)
  })

  it('lets a refused token through (401), without asking GraphQL', async () => {
    const gh = fakeOctokit()
    const bad = refused('Bad credentials', 401)
    gh.users.getAuthenticated.mockRejectedValueOnce(bad)
    await expect(findIdentity(gh.octokit, log as Logger)).rejects.toBe(bad)
    expect(gh.graphql).not.toHaveBeenCalled()
  })
})

describe('isOurs', () => {
  it.each([
    [{ login: 'github-actions[bot]', type: 'Bot' }, 'github-actions[bot]', true],
    [{ login: 'Sec-Automation', type: 'User' }, 'sec-automation', true],
    [{ login: 'octocat', type: 'User' }, 'github-actions[bot]', false],
    [{ login: 'dependabot[bot]', type: 'Bot' }, 'github-actions[bot]', false],
    [{ login: 'github-actions[bot]', type: 'Bot' }, 'sec-automation', false],
    [null, 'github-actions[bot]', false]
  ] as const)('author %j, token account %s -> %s', (author, login, ours) => {
    expect(isOurs(author, { login })).toBe(ours)
  })
})

describe('syncTrackingIssues: issues someone else opened', () => {
  const pasted = (number: number, user: IssueItem['user']) =>
    item(number, `Please add a dark mode.\n${issueMarker(ACCOUNT)}`, 'Feature request: dark mode', { user })

  it('never adopts an issue a person opened with the marker pasted in: opens its own and says why', async () => {
    const feature = pasted(5, { login: 'octocat', type: 'User' })
    const gh = fakeOctokit({ security: [feature], '': [feature] })
    const results = await syncTrackingIssues(gh.octokit, REPO, staleReport(), options())
    expect(gh.writes().map(([name, p]) => [name, p.issue_number])).toEqual([
      ['createLabel', undefined],
      ['createLabel', undefined],
      ['create', undefined]
    ])
    expect(results).toEqual([{ accountId: ACCOUNT, action: 'create', open: { number: 101, url: `${ISSUES_URL}/101` } }])
    expect(log.warning.mock.calls).toEqual([
      [
        "Issue #5 carries the marker of account 123456789012 but was opened by octocat, not by this action's token (github-actions[bot]): left untouched"
      ]
    ])
  })

  it('never closes it either when the account is clean; an author deleted since is named so', async () => {
    const gh = fakeOctokit({ security: [pasted(5, null)] })
    const results = await syncTrackingIssues(gh.octokit, REPO, makeReport(), options())
    expect(gh.writes()).toEqual([])
    expect(results).toEqual([{ accountId: ACCOUNT, action: 'none', open: null }])
    expect(log.warning.mock.calls[0][0]).toContain('was opened by a deleted account')
  })

  it("with a personal token, adopts its user's issue and not the bot's", async () => {
    const bots = item(6, bodyFor(ACCOUNT))
    const mine = item(7, bodyFor(ACCOUNT), undefined, { user: { login: 'sec-automation', type: 'User' } })
    const gh = fakeOctokit({ security: [mine, bots] })
    gh.users.getAuthenticated.mockResolvedValueOnce({ data: { login: 'sec-automation' } })
    const results = await syncTrackingIssues(gh.octokit, REPO, staleReport(), options())
    expect(gh.writes().map(([name, p]) => [name, p.issue_number])).toEqual([['update', 7]])
    expect(results[0].open).toEqual({ number: 7, url: `${ISSUES_URL}/7` })
    expect(log.warning.mock.calls[0][0]).toContain("opened by github-actions[bot], not by this action's token (sec-automation)")
  })

  // Any bot is not good enough: dependabot or another app could carry a pasted marker.
  it("when the token's account cannot be named, adopts only github-actions[bot]'s issue, not another bot's or a person's", async () => {
    const person = pasted(5, { login: 'octocat', type: 'User' })
    const otherApp = item(6, bodyFor(ACCOUNT), undefined, { user: { login: 'dependabot[bot]', type: 'Bot' } })
    const actions = item(7, bodyFor(ACCOUNT), undefined, { user: { login: 'github-actions[bot]', type: 'Bot' } })
    const gh = fakeOctokit({ security: [actions, otherApp, person] })
    gh.graphql.mockRejectedValueOnce(graphqlRefused('Something went wrong'))
    await syncTrackingIssues(gh.octokit, REPO, staleReport(), options())
    expect(gh.writes().map(([name, p]) => [name, p.issue_number])).toEqual([['update', 7]])
    const warnings = log.warning.mock.calls.map(([m]) => m)
    expect(warnings).toContainEqual(expect.stringContaining("opened by octocat, not by this action's token (github-actions[bot])"))
    expect(warnings).toContainEqual(expect.stringContaining("opened by dependabot[bot], not by this action's token (github-actions[bot])"))
  })
})

describe('oldestFirst: which of two open issues is kept', () => {
  it('the one created first, then the lower number (created_at has whole seconds)', () => {
    const a = item(9, 'x', 't', { created_at: '2026-03-01T10:00:00Z' })
    const b = item(3, 'x', 't', { created_at: '2026-03-01T10:00:01Z' })
    const c = item(12, 'x', 't', { created_at: '2026-03-01T10:00:01Z' })
    expect([c, b, a].sort(oldestFirst).map((i) => i.number)).toEqual([9, 3, 12])
  })
})

describe('syncTrackingIssues: two open issues of ours for one account', () => {
  const closedAsDuplicate = (number: number, kept: number, reason = 'duplicate'): Call[] => [
    ['createComment', { ...REPO, issue_number: number, body: duplicateComment(kept) }],
    ['update', { ...REPO, issue_number: number, state: 'closed', state_reason: reason }]
  ]

  it('an earlier race: keeps the oldest, whatever the listing order, and closes the others as its duplicates', async () => {
    const older = item(21, bodyFor(ACCOUNT), undefined, { created_at: '2026-03-01T10:00:00Z' })
    const newer = item(20, bodyFor(ACCOUNT), undefined, { created_at: '2026-03-01T10:00:05Z' })
    const newest = item(22, bodyFor(ACCOUNT), undefined, { created_at: '2026-03-01T10:00:05Z' })
    const gh = fakeOctokit({ security: [newest, older, newer] })
    const report = staleReport()
    const results = await syncTrackingIssues(gh.octokit, REPO, report, options())
    expect(gh.writes()).toEqual([
      ...closedAsDuplicate(20, 21),
      ...closedAsDuplicate(22, 21),
      [
        'update',
        {
          ...REPO,
          issue_number: 21,
          body: renderIssueBody(accountReport(report, ACCOUNT), ACCOUNT, { maskKeyIds: true, runUrl: RUN_URL }),
          title: 'IAM Key Sentry: 2 stale access keys in account 123456789012'
        }
      ]
    ])
    expect(results).toEqual([{ accountId: ACCOUNT, action: 'update', open: { number: 21, url: `${ISSUES_URL}/21` } }])
    expect(log.info.mock.calls.map(([m]) => m)).toEqual([
      '[123456789012] Closed tracking issue #20 as a duplicate of #21',
      '[123456789012] Closed tracking issue #22 as a duplicate of #21',
      '[123456789012] Updated tracking issue #21'
    ])
  })

  it('a clean account: the duplicates are closed as duplicates, the oldest as completed', async () => {
    const gh = fakeOctokit({ security: [item(8, bodyFor(ACCOUNT)), item(7, bodyFor(ACCOUNT))] })
    await syncTrackingIssues(gh.octokit, REPO, makeReport({ keys: 3 }), options())
    expect(gh.writes().map(([name, p]) => [name, p.issue_number, p.state_reason])).toEqual([
      ['createComment', 8, undefined],
      ['update', 8, 'duplicate'],
      ['createComment', 7, undefined],
      ['update', 7, 'completed']
    ])
  })

  it('closes as not planned where GitHub does not know the duplicate reason (422)', async () => {
    const gh = fakeOctokit({ security: [item(8, bodyFor(ACCOUNT)), item(7, bodyFor(ACCOUNT))] })
    gh.issues.update.mockRejectedValueOnce(refused('Validation Failed', 422))
    await syncTrackingIssues(gh.octokit, REPO, staleReport(), options())
    expect(gh.issues.update.mock.calls.map(([p]) => [p.issue_number, p.state_reason])).toEqual([
      [8, 'duplicate'],
      [8, 'not_planned'],
      [7, undefined]
    ])
    expect(gh.issues.createComment.mock.calls.map(([p]) => p.issue_number)).toEqual([8])
  })

  it('a race now: another run created an older issue at the same time; ours is closed, the older made current', async () => {
    // Created a second before ours (101).
    const other = item(100, bodyFor(ACCOUNT), `IAM Key Sentry: 1 stale access key in account ${ACCOUNT}`)
    const gh = fakeOctokit({}, other)
    const report = staleReport()
    const results = await syncTrackingIssues(gh.octokit, REPO, report, options())
    expect(gh.writes().map(([name, p]) => [name, p.issue_number])).toEqual([
      ['createLabel', undefined],
      ['createLabel', undefined],
      ['create', undefined],
      ['createComment', 101],
      ['update', 101],
      ['update', 100]
    ])
    expect(gh.writes().slice(3)).toEqual([
      ...closedAsDuplicate(101, 100),
      [
        'update',
        {
          ...REPO,
          issue_number: 100,
          body: renderIssueBody(accountReport(report, ACCOUNT), ACCOUNT, { maskKeyIds: true, runUrl: RUN_URL }),
          title: 'IAM Key Sentry: 2 stale access keys in account 123456789012'
        }
      ]
    ])
    // The outputs name the issue left open.
    expect(results).toEqual([{ accountId: ACCOUNT, action: 'create', open: { number: 100, url: `${ISSUES_URL}/100` } }])
    expect(log.info.mock.calls.map(([m]) => m)).toEqual([
      '[123456789012] Opened tracking issue #101',
      '[123456789012] Another run opened tracking issue #100 at the same time',
      '[123456789012] Closed tracking issue #101 as a duplicate of #100',
      '[123456789012] Updated tracking issue #100'
    ])
  })

  it('a race now where ours is the older: ours is kept, and the other run closes its own', async () => {
    const other = item(102, bodyFor(ACCOUNT), undefined, { created_at: '2099-01-01T00:00:00Z' })
    const gh = fakeOctokit({}, other)
    const results = await syncTrackingIssues(gh.octokit, REPO, staleReport(), options())
    expect(gh.writes().map(([name]) => name)).toEqual(['createLabel', 'createLabel', 'create'])
    expect(results[0].open).toEqual({ number: 101, url: `${ISSUES_URL}/101` })
  })

  it('a race now where the older issue already holds this body: it is not written again', async () => {
    const report = staleReport()
    const body = renderIssueBody(accountReport(report, ACCOUNT), ACCOUNT, { maskKeyIds: true, runUrl: RUN_URL })
    const gh = fakeOctokit({}, item(100, body))
    await syncTrackingIssues(gh.octokit, REPO, report, options())
    expect(gh.writes().map(([name, p]) => [name, p.issue_number])).toEqual([
      ['createLabel', undefined],
      ['createLabel', undefined],
      ['create', undefined],
      ['createComment', 101],
      ['update', 101]
    ])
  })
})

describe('describeGithubError', () => {
  it('asks for issues: write on a 403 "Resource not accessible by integration"', () => {
    const err = Object.assign(new Error('Resource not accessible by integration'), { status: 403 })
    expect(describeGithubError(err)).toBe(
      'The GitHub token may not write issues (403 Resource not accessible by integration). Give the job:\npermissions:\n  issues: write'
    )
  })

  it('points at github-token on a 401', () => {
    const err = Object.assign(new Error('Bad credentials'), { status: 401 })
    expect(describeGithubError(err)).toBe('The GitHub token was refused (401 Bad credentials); check github-token')
  })

  it('explains a 404', () => {
    const err = Object.assign(new Error('Not Found'), { status: 404 })
    expect(describeGithubError(err)).toBe(
      'GitHub answered 404 (404 Not Found): the repository is not visible to the token, or issues are disabled'
    )
  })

  it('reports anything else as it is', () => {
    expect(describeGithubError(Object.assign(new Error('Server Error'), { status: 502 }))).toBe(
      'GitHub tracking issue failed (502 Server Error)'
    )
    expect(describeGithubError(new Error('socket hang up'))).toBe('GitHub tracking issue failed (socket hang up)')
  })

  const NOW = new Date('2026-03-01T12:00:00Z')
  const limited = (status: number, headers: Record<string, string>, message = 'API rate limit exceeded for installation ID 1.') =>
    Object.assign(new Error(message), {
      status,
      request: { method: 'GET', url: 'https://api.github.com/repos/acme/infra/issues?state=open' },
      response: { headers }
    })

  it('says the rate limit was reached and when it resets (x-ratelimit-reset)', () => {
    const reset = String(Date.parse('2026-03-01T12:05:00Z') / 1000)
    for (const status of [403, 429]) {
      expect(describeGithubError(limited(status, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }), NOW)).toBe(
        `GitHub's API rate limit was reached on GET /repos/acme/infra/issues (${status} API rate limit exceeded for installation ID 1.); ` +
          'it resets at 2026-03-01T12:05:00Z. The run waits at most 60 s for it; the tracking issues are brought up to date by a run after the reset.'
      )
    }
  })

  it('takes the reset from retry-after (seconds or a date) for a secondary rate limit', () => {
    const secondary = 'You have exceeded a secondary rate limit.'
    expect(describeGithubError(limited(403, { 'retry-after': '120' }, secondary), NOW)).toContain('it resets at 2026-03-01T12:02:00Z.')
    expect(describeGithubError(limited(429, { 'retry-after': 'Sun, 01 Mar 2026 13:00:00 GMT' }, secondary), NOW)).toContain(
      'it resets at 2026-03-01T13:00:00Z.'
    )
    // A rate limit that does not say when: no time rather than a wrong one.
    expect(describeGithubError(limited(403, {}, secondary), NOW)).toMatch(/^GitHub's API rate limit was reached .*\)\. The run waits/)
  })

  it('names the request and the deadline when GitHub kept not answering', () => {
    const err = Object.assign(new Error('GET /repos/acme/infra/issues timed out after 30 s'), {
      status: 500,
      cause: new RequestTimeoutError('GET /repos/acme/infra/issues', 30_000),
      request: { method: 'GET', url: 'https://api.github.com/repos/acme/infra/issues', request: { retryCount: 3 } }
    })
    expect(describeGithubError(err)).toBe('GitHub tracking issue failed: GET /repos/acme/infra/issues timed out after 30 s (no answer to 4 attempts)')
  })
})

describe('the record: in the body, or in comments of ours when it is too big for it', () => {
  const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  const NAME = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+=.@_-'
  /** `n` keys whose user names are 64 random characters (IAM's longest), from a fixed seed: they barely compress. */
  const made = new Map<number, Baseline>()
  function bigBaseline(n: number): Baseline {
    if (!made.has(n)) made.set(n, makeBaseline(n))
    return made.get(n)!
  }
  function makeBaseline(n: number, seed = 42): Baseline {
    // mulberry32: a small PRNG whose every bit varies.
    let x = seed >>> 0
    const next = (size: number) => {
      x = (x + 0x6d2b79f5) >>> 0
      let t = Math.imul(x ^ (x >>> 15), 1 | x)
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
      return (((t ^ (t >>> 14)) >>> 0) / 4_294_967_296) * size | 0
    }
    const text = (alphabet: string, length: number) => Array.from({ length }, () => alphabet[next(alphabet.length)]).join('')
    const keys = Array.from({ length: n }, () => ({
      accessKeyId: `AKIA${text(B32, 16)}`,
      createdAt: '2026-05-01T10:00:00Z',
      userName: text(NAME, 64),
      kind: 'stale' as const,
      firstSeenAt: '2026-11-20'
    }))
    return { accountId: ACCOUNT, keys }
  }
  const small: Baseline = {
    accountId: ACCOUNT,
    keys: [{ accessKeyId: 'AKIA1234567890ABWXYZ', createdAt: '2026-05-01T10:00:00Z', userName: 'old-alice', kind: 'stale', firstSeenAt: '2026-11-20' }]
  }
  const identity = { login: BOT.login }
  const openIssue = (body: string): OpenIssue => ({ number: 7, title: 't', body, url: `${ISSUES_URL}/7` })
  /** Comments of ours on issue 7 holding `record`'s parts, as an earlier run left them. */
  function storedParts(record: Baseline, firstId = 500): Map<number, StoredComment> {
    const parts = encodeState(record, { maxChars: STATE_MAX_CHARS })
    return new Map(
      parts.map((p, i) => [firstId + i, { body: recordCommentBody(ACCOUNT, i + 1, parts.length, p), user: BOT, issue_url: `${API_ISSUES}/7` }])
    )
  }

  describe('placeRecord', () => {
    it('keeps a record that fits its share of the body in the body, whole', () => {
      const placed = placeRecord(small, log as Logger)
      expect(placed).toEqual({ where: 'body', text: expect.stringMatching(/^<!-- iam-key-sentry:state v1 part=1\/1 /) })
    })

    it('splits a record too big for the body into comments of at most 60,000 characters', () => {
      const placed = placeRecord(bigBaseline(5_000), log as Logger)
      if (placed?.where !== 'comments') throw new Error(`expected comments, got ${placed?.where}`)
      expect(placed.parts.length).toBeGreaterThanOrEqual(3)
      for (const part of placed.parts) {
        const body = recordCommentBody(ACCOUNT, 1, placed.parts.length, part)
        expect([...body].length).toBeLessThanOrEqual(65_536)
        expect(Buffer.byteLength(body)).toBeLessThanOrEqual(262_144)
      }
      expect(decodeState(placed.parts)).toEqual({ ok: true, state: expect.objectContaining({ accountId: ACCOUNT }) })
      expect(log.warning).not.toHaveBeenCalled()
    })

    it('keeps nothing, and says so, for a record that would take more than 20 comments', () => {
      // 40,000 names of 64 random characters deflate to about 2.4 MB.
      expect(placeRecord(bigBaseline(40_000), log as Logger)).toBeUndefined()
      expect(log.warning.mock.calls[0]![0]).toMatch(/^The record of 40000 keys would take \d+ comments \(at most 20\): it is not kept/)
    })
  })

  describe('readIssueRecord', () => {
    const pointing = (ids: number[], spare: number[] = []) => openIssue(`${bodyFor(ACCOUNT)}\n\n${recordPointer({ ids, spare })}`)

    it('reads a record in the body with no request', async () => {
      const gh = fakeOctokit()
      const [state] = encodeState(small)
      const read = await readIssueRecord(gh.octokit, REPO, openIssue(`${bodyFor(ACCOUNT)}\n\n${state}`), ACCOUNT, identity)
      expect(read).toEqual({ decoded: { ok: true, state: small }, commentIds: [], spareIds: [] })
      expect(gh.calls).toEqual([])
    })

    it('reads a record in comments through the pointer, one request per part and per spare comment', async () => {
      const stored = storedParts(bigBaseline(5_000), 500)
      for (const [id, c] of storedParts(bigBaseline(2_000), 600)) stored.set(id, c)
      const gh = fakeOctokit({}, undefined, stored)
      const read = await readIssueRecord(gh.octokit, REPO, pointing([500, 501, 502], [600, 601]), ACCOUNT, identity)
      expect(read.commentIds).toEqual([500, 501, 502])
      expect(read.spareIds).toEqual([600, 601])
      if (!read.decoded.ok) throw new Error(read.decoded.error)
      expect(read.decoded.state.keys).toHaveLength(5_000)
      expect(gh.calls.map(([, p]) => p.comment_id)).toEqual([500, 501, 502, 600, 601])
    })

    it("never takes a part or a spare from someone else's comment, or from a comment on another issue", async () => {
      const stored = storedParts(bigBaseline(5_000), 500)
      // A person pasted the same text: still not ours.
      stored.set(500, { ...stored.get(500)!, user: { login: 'mallory', type: 'User' } })
      stored.set(501, { ...stored.get(501)!, issue_url: `${API_ISSUES}/8` })
      stored.set(700, { body: 'a person', user: { login: 'mallory', type: 'User' }, issue_url: `${API_ISSUES}/7` })
      const gh = fakeOctokit({}, undefined, stored)
      const read = await readIssueRecord(gh.octokit, REPO, pointing([500, 501, 502], [700]), ACCOUNT, identity)
      expect(read.decoded).toEqual({ ok: false, reason: 'incomplete', error: expect.stringMatching(/parts were found/) })
      expect(read.commentIds).toEqual([502])
      expect(read.spareIds).toEqual([])
    })

    it('takes a deleted part (404) for an incomplete record, and a pointer to nothing too', async () => {
      const stored = storedParts(bigBaseline(5_000), 500)
      stored.delete(500)
      const read = await readIssueRecord(fakeOctokit({}, undefined, stored).octokit, REPO, pointing([500, 501, 502]), ACCOUNT, identity)
      expect(read.decoded).toMatchObject({ ok: false, reason: 'incomplete' })
      const none = await readIssueRecord(fakeOctokit().octokit, REPO, pointing([1, 2]), ACCOUNT, identity)
      expect(none.decoded).toEqual({ ok: false, reason: 'incomplete', error: "the record's 2 comments are gone (deleted, or not this action's)" })
    })

    it("takes a pointer a person changed for an unreadable record, not for an issue with none yet", async () => {
      const gh = fakeOctokit()
      const read = await readIssueRecord(gh.octokit, REPO, openIssue('<!-- iam-key-sentry:record-in-comments ids=5,x -->'), ACCOUNT, identity)
      expect(read.decoded).toMatchObject({ ok: false, reason: 'corrupt' })
      expect(gh.calls).toEqual([])
    })

    it("refuses a record in comments that is another account's", async () => {
      const other = { ...bigBaseline(5_000), accountId: OTHER_ACCOUNT }
      const gh = fakeOctokit({}, undefined, storedParts(other, 500))
      const read = await readIssueRecord(gh.octokit, REPO, pointing([500, 501, 502]), ACCOUNT, identity)
      expect(read.decoded).toMatchObject({ ok: false, reason: 'corrupt', error: expect.stringContaining(`for account ${OTHER_ACCOUNT}`) })
    })

    it('lets any other failure through (the issues are then not written)', async () => {
      const gh = fakeOctokit()
      gh.issues.getComment.mockRejectedValueOnce(refused('Server Error', 502))
      await expect(readIssueRecord(gh.octokit, REPO, pointing([5]), ACCOUNT, identity)).rejects.toMatchObject({ status: 502 })
    })

    it("refuses a record in the body that is another account's", async () => {
      const gh = fakeOctokit()
      const [state] = encodeState({ ...small, accountId: OTHER_ACCOUNT })
      const read = await readIssueRecord(gh.octokit, REPO, openIssue(state!), ACCOUNT, identity)
      expect(read.decoded).toMatchObject({ ok: false, reason: 'corrupt', error: expect.stringContaining(`for account ${OTHER_ACCOUNT}`) })
    })
  })

  describe('syncTrackingIssues writes it', () => {
    const readable = { ok: true as const, state: small }
    const found = (record: IssueRecord | null) => ({
      identity,
      ours: new Map([[ACCOUNT, [openIssue('x')]]]),
      foreign: [],
      records: new Map(record ? [[ACCOUNT, record]] : [])
    })
    const written = (gh: ReturnType<typeof fakeOctokit>) => gh.writes().map(([name, p]) => `${name} ${String(p.comment_id ?? p.issue_number)}`)
    const pointerOf = (gh: ReturnType<typeof fakeOctokit>) => readRecordPointer(gh.issues.update.mock.calls.at(-1)![0].body as string)

    it('opens the issue, writes each part in a comment, then points the body to them', async () => {
      const gh = fakeOctokit()
      await syncTrackingIssues(gh.octokit, REPO, staleReport(), options({ records: new Map([[ACCOUNT, bigBaseline(5_000)]]) }))
      expect(gh.writes().map(([name]) => name)).toEqual(['createLabel', 'createLabel', 'create', 'createComment', 'createComment', 'createComment', 'update'])
      expect(gh.issues.create.mock.calls[0]![0].body).not.toContain('iam-key-sentry:state')
      expect(pointerOf(gh)).toEqual({ ids: [9001, 9002, 9003], spare: [] })
      expect(decodeState([...gh.comments.values()].map((c) => c.body))).toEqual({ ok: true, state: expect.anything() })
      expect(log.info.mock.calls.flat()).toContain('[123456789012] Updated tracking issue #101 (its record in 3 comments)')
    })

    it('writes the spare set, never the comments the body points to, and swaps them in the pointer', async () => {
      const stored = storedParts(bigBaseline(5_000), 500)
      for (const [id, c] of storedParts(bigBaseline(2_000), 600)) stored.set(id, c)
      const gh = fakeOctokit({}, undefined, stored)
      const record = { decoded: readable, commentIds: [500, 501, 502], spareIds: [600, 601] }
      await syncTrackingIssues(gh.octokit, REPO, staleReport(), options({ records: new Map([[ACCOUNT, bigBaseline(5_000)]]), found: found(record) }))
      // Two spare comments edited, a third part a new comment, the body last; nothing deleted.
      expect(written(gh)).toEqual(['updateComment 600', 'updateComment 601', 'createComment 7', 'update 7'])
      expect(pointerOf(gh)).toEqual({ ids: [600, 601, 9001], spare: [500, 501, 502] })
    })

    it('keeps the record the body points to whole when a write fails part-way', async () => {
      const stored = storedParts(bigBaseline(5_000), 500)
      for (const [id, c] of storedParts(bigBaseline(5_000), 600)) stored.set(id, c)
      const gh = fakeOctokit({}, undefined, stored)
      const before = new Map([...stored].map(([id, c]) => [id, c.body]))
      gh.issues.updateComment.mockImplementationOnce(async (params: Params) => {
        gh.calls.push(['updateComment', params])
        stored.get(600)!.body = params.body as string
        return { data: { id: 600, ...stored.get(600)! } }
      })
      gh.issues.updateComment.mockRejectedValueOnce(refused('Server Error', 502))
      const record = { decoded: readable, commentIds: [500, 501, 502], spareIds: [600, 601, 602] }
      await expect(
        syncTrackingIssues(gh.octokit, REPO, staleReport(), options({ records: new Map([[ACCOUNT, bigBaseline(2_000)]]), found: found(record) }))
      ).rejects.toMatchObject({ status: 502 })
      expect(gh.issues.update).not.toHaveBeenCalled()
      for (const id of [500, 501, 502]) expect(stored.get(id)!.body).toBe(before.get(id))
      const again = await readIssueRecord(gh.octokit, REPO, openIssue(recordPointer({ ids: [500, 501, 502], spare: [600, 601, 602] })), ACCOUNT, identity)
      expect(again.decoded).toMatchObject({ ok: true })
    })

    it('deletes the spare comments a smaller record does not need, after the body', async () => {
      const stored = storedParts(bigBaseline(5_000), 500)
      for (const [id, c] of storedParts(bigBaseline(5_000), 600)) stored.set(id, c)
      const gh = fakeOctokit({}, undefined, stored)
      const record = { decoded: readable, commentIds: [500, 501, 502], spareIds: [600, 601, 602] }
      await syncTrackingIssues(gh.octokit, REPO, staleReport(), options({ records: new Map([[ACCOUNT, bigBaseline(2_000)]]), found: found(record) }))
      expect(written(gh)).toEqual(['updateComment 600', 'updateComment 601', 'update 7', 'deleteComment 602'])
      expect(pointerOf(gh)).toEqual({ ids: [600, 601], spare: [500, 501, 502] })
    })

    it('writes a new comment for a spare a person deleted since it was read', async () => {
      const gh = fakeOctokit()
      const record = { decoded: readable, commentIds: [], spareIds: [600] }
      await syncTrackingIssues(gh.octokit, REPO, staleReport(), options({ records: new Map([[ACCOUNT, bigBaseline(2_000)]]), found: found(record) }))
      // (Its delete after the body answers 404, which is fine.)
      expect(written(gh)).toEqual(['updateComment 600', 'createComment 7', 'createComment 7', 'update 7', 'deleteComment 600'])
      expect(pointerOf(gh)).toEqual({ ids: [9001, 9002], spare: [] })
    })

    it('moves a record that fits the body again back into it, and deletes both sets after the body', async () => {
      const stored = storedParts(bigBaseline(5_000), 500)
      for (const [id, c] of storedParts(bigBaseline(2_000), 600)) stored.set(id, c)
      const gh = fakeOctokit({}, undefined, stored)
      const record = { decoded: readable, commentIds: [500, 501, 502], spareIds: [600, 601] }
      await syncTrackingIssues(gh.octokit, REPO, staleReport(), options({ records: new Map([[ACCOUNT, small]]), found: found(record) }))
      expect(written(gh)).toEqual(['update 7', 'deleteComment 500', 'deleteComment 501', 'deleteComment 502', 'deleteComment 600', 'deleteComment 601'])
      const body = gh.issues.update.mock.calls[0]![0].body as string
      expect(readRecordPointer(body)).toBeNull()
      expect(decodeState([body])).toEqual({ ok: true, state: small })
      expect(gh.comments.size).toBe(0)
    })

    it('only warns when an old comment cannot be deleted: the new-findings comment still goes out', async () => {
      const gh = fakeOctokit({}, undefined, storedParts(bigBaseline(5_000), 500))
      gh.issues.deleteComment.mockRejectedValueOnce(refused('Server Error', 502))
      const record = { decoded: readable, commentIds: [500, 501, 502], spareIds: [] }
      const report = staleReport()
      for (const f of report.findings) f.new = true
      report.accounts[0]!.new = 2
      report.totals.new = 2
      await syncTrackingIssues(gh.octokit, REPO, report, options({ records: new Map([[ACCOUNT, small]]), found: found(record) }))
      // The first delete failed (a 502); the others and the comment went ahead.
      expect(written(gh)).toEqual(['update 7', 'deleteComment 501', 'deleteComment 502', 'createComment 7'])
      expect(gh.issues.deleteComment).toHaveBeenCalledTimes(3)
      expect(log.warning.mock.calls.flat()).toEqual([expect.stringMatching(/^\[123456789012\] An old record comment \(500\) could not be deleted/)])
    })

    it('leaves the comments alone when the account is clean and the issue closes', async () => {
      const gh = fakeOctokit({}, undefined, storedParts(bigBaseline(5_000), 500))
      const record = { decoded: readable, commentIds: [500, 501, 502], spareIds: [] }
      await syncTrackingIssues(gh.octokit, REPO, makeReport(), options({ records: new Map([[ACCOUNT, { accountId: ACCOUNT, keys: [] }]]), found: found(record) }))
      expect(gh.writes().map(([name]) => name)).toEqual(['createComment', 'update'])
      expect(gh.comments.size).toBe(4)
    })
  })
})

describe('assign-owners', () => {
  const owned = (logins: string[]) =>
    makeReport({
      findings: logins.map((login, i) =>
        finding({ userName: `user-${i}`, accessKeyId: `AKIA${String(i).padStart(16, '0')}`, ageDays: 300 - i, owners: [`@${login}`, `${login}@example.com`] })
      )
    })
  /** A hand-made Octokit whose assignable logins answer 204, the rest 404. */
  function withAssignable(gh: ReturnType<typeof fakeOctokit>, assignable: string[]) {
    const asked: string[] = []
    const check = jest.fn(async (params: Params) => {
      asked.push(params.assignee as string)
      if (!assignable.includes(params.assignee as string)) throw refused('Not Found', 404)
      return { status: 204 }
    })
    ;(gh.octokit.rest.issues as unknown as Record<string, unknown>).checkUserCanBeAssigned = check
    return { check, asked }
  }

  it('assigns issue-assignees, then the owners that are logins and can be assigned, each once', async () => {
    const gh = fakeOctokit()
    const { asked } = withAssignable(gh, ['sec-lead', 'alice', 'bob'])
    const report = owned(['alice', 'carol', 'bob', 'Alice'])
    await syncTrackingIssues(gh.octokit, REPO, report, options({ assignees: ['sec-lead'], assignOwners: true }))
    expect(gh.issues.create.mock.calls[0]![0].assignees).toEqual(['sec-lead', 'alice', 'bob'])
    // Each login asked once; teams and addresses never.
    expect(asked).toEqual(['sec-lead', 'alice', 'carol', 'bob'])
    expect(log.warning.mock.calls.flat()).toEqual(['[123456789012] Not assigned (GitHub says they cannot be assigned in this repository): @carol'])
  })

  it('assigns the first 10 and names the owners left out, without asking about them', async () => {
    const gh = fakeOctokit()
    const logins = Array.from({ length: 12 }, (_, i) => `owner-${i}`)
    const { asked } = withAssignable(gh, logins)
    await syncTrackingIssues(gh.octokit, REPO, owned(logins), options({ assignOwners: true }))
    expect(gh.issues.create.mock.calls[0]![0].assignees).toEqual(logins.slice(0, 10))
    expect(asked).toEqual(logins.slice(0, 10))
    expect(log.warning.mock.calls.flat()).toEqual([
      '[123456789012] GitHub assigns at most 10 people to an issue: 2 owners left out (@owner-10, @owner-11)'
    ])
  })

  it('keeps the assignees in step on an update: the PATCH sets them', async () => {
    const gh = fakeOctokit({ security: [item(7, bodyFor(ACCOUNT))] })
    withAssignable(gh, ['bob'])
    await syncTrackingIssues(gh.octokit, REPO, owned(['bob']), options({ assignOwners: true }))
    expect(gh.issues.update.mock.calls[0]![0]).toMatchObject({ issue_number: 7, assignees: ['bob'] })
  })

  it('never touches the assignees without assign-owners', async () => {
    const gh = fakeOctokit({ security: [item(7, bodyFor(ACCOUNT))] })
    const { check } = withAssignable(gh, ['bob'])
    await syncTrackingIssues(gh.octokit, REPO, owned(['bob']), options())
    expect(gh.issues.update.mock.calls[0]![0]).not.toHaveProperty('assignees')
    expect(check).not.toHaveBeenCalled()
  })

  it('writes the issue anyway, assignees untouched, when GitHub cannot say who can be assigned', async () => {
    const gh = fakeOctokit({ security: [item(7, bodyFor(ACCOUNT))] })
    const { check } = withAssignable(gh, ['bob'])
    check.mockRejectedValueOnce(refused('Server Error', 502))
    const results = await syncTrackingIssues(gh.octokit, REPO, owned(['bob']), options({ assignOwners: true }))
    expect(gh.issues.update.mock.calls[0]![0]).not.toHaveProperty('assignees')
    expect(results[0]!.action).toBe('update')
    expect(log.warning.mock.calls.flat()).toEqual([expect.stringMatching(/^\[123456789012\] The owners were not assigned: GitHub could not say who can be assigned/)])
  })
})
