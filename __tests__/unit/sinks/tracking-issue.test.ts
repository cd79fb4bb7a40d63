import { beforeEach, describe, expect, it, jest } from '@jest/globals'
import { accountReport, closingComment, issueMarker, renderIssueBody } from '../../../src/render/issue-body.js'
import type { Logger } from '../../../src/model.js'
import { GithubTimeoutError, type Octokit } from '../../../src/sinks/octokit.js'
import {
  decideIssueAction,
  describeGithubError,
  syncTrackingIssues,
  type OpenIssue,
  type TrackingOptions
} from '../../../src/sinks/tracking-issue.js'
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
  pull_request?: unknown
}

/** An open issue as the REST listing returns it. */
function item(number: number, body: string | null, title = `IAM Key Sentry: 5 stale access keys in account ${ACCOUNT}`): IssueItem {
  return { number, title, body, html_url: `${ISSUES_URL}/${number}` }
}

const bodyFor = (accountId: string) => `${issueMarker(accountId)}\n## IAM access keys to fix in account ${accountId}\n\nold body`

/**
 * A hand-made Octokit: `paginate` answers with the canned issues of the `labels` parameter
 * ('' for the unlabelled listing); every call, in order, lands in `calls`.
 */
function fakeOctokit(listings: Record<string, IssueItem[]> = {}) {
  const calls: Call[] = []
  const record =
    <T>(name: string, answer: (params: Params) => T) =>
    async (params: Params) => {
      calls.push([name, params])
      return answer(params)
    }
  let nextNumber = 101
  const issues = {
    listForRepo: jest.fn(record('listForRepo', () => ({ data: [] }))),
    create: jest.fn(
      record('create', () => {
        const number = nextNumber++
        return { data: { number, html_url: `${ISSUES_URL}/${number}` } }
      })
    ),
    update: jest.fn(record('update', () => ({ data: {} }))),
    createComment: jest.fn(record('createComment', () => ({ data: {} }))),
    createLabel: jest.fn(record('createLabel', () => ({ data: {} })))
  }
  const paginate = jest.fn(async (method: unknown, params: Params) => {
    if (method !== issues.listForRepo) throw new Error('paginate was given another method than issues.listForRepo')
    calls.push(['paginate', params])
    return listings[(params.labels as string | undefined) ?? ''] ?? []
  })
  const octokit = { paginate, rest: { issues } } as unknown as Octokit
  /** The calls other than the listings. */
  const writes = () => calls.filter(([name]) => name !== 'paginate')
  const listings_ = () => calls.filter(([name]) => name === 'paginate').map(([, params]) => params)
  return { octokit, issues, paginate, calls, writes, listings: listings_ }
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

    expect(gh.listings()).toEqual([labelled('security'), labelled('iam-key-sentry'), unlabelled])
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
    expect(log.info.mock.calls).toEqual([['Opened tracking issue #101 for account 123456789012']])
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
    expect(log.info.mock.calls).toEqual([['Updated tracking issue #7 for account 123456789012']])
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

  it('takes the first issue listed when two carry the marker', async () => {
    const gh = fakeOctokit({ security: [item(20, bodyFor(ACCOUNT)), item(21, bodyFor(ACCOUNT))] })
    await syncTrackingIssues(gh.octokit, REPO, staleReport(), options())
    expect(gh.issues.update.mock.calls.map(([p]) => p.issue_number)).toEqual([20])
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
    expect(log.info.mock.calls).toEqual([['Closed tracking issue #7: account 123456789012 is clean']])
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
    expect(gh.paginate).toHaveBeenCalledTimes(3)
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
      cause: new GithubTimeoutError('GET /repos/acme/infra/issues', 30_000),
      request: { method: 'GET', url: 'https://api.github.com/repos/acme/infra/issues', request: { retryCount: 3 } }
    })
    expect(describeGithubError(err)).toBe('GitHub tracking issue failed: GET /repos/acme/infra/issues timed out after 30 s (no answer to 4 attempts)')
  })
})
