// A remediation whose scan follows: what went wrong in it (a key not changed, the reply not
// posted) fails the step at its end and is in the job summary's "This step failed" list.
import { GenerateCredentialReportCommand, GetCredentialReportCommand, ListAccessKeysCommand } from '@aws-sdk/client-iam'
import { afterAll, beforeEach, describe, expect, it, jest } from '@jest/globals'
import type { RemediationResult } from '../../../src/action/remediate.js'
import type { CommentEvent } from '../../../src/action/events.js'

const remediate = jest.fn<() => Promise<RemediationResult>>()
jest.unstable_mockModule('../../../src/action/remediate.js', () => ({ remediate }))
const readCommentEvent = jest.fn<() => Promise<CommentEvent>>()
jest.unstable_mockModule('../../../src/action/events.js', () => ({ readCommentEvent }))
// GitHub answers nothing: the tracking issues cannot be read (one more problem, said as well).
jest.unstable_mockModule('../../../src/sinks/octokit-client.js', () => ({
  createOctokit: () => new Proxy({}, { get: () => { throw new Error('GitHub is not here') } }),
  workflowRepo: () => ({ owner: 'octo', repo: 'infra' }),
  runUrl: () => null
}))
const { ACCOUNT, core, iamMock, run, summaryText, useRunner } = await import('./run-harness.js')
const { credentialReportCsv, credentialReportRow } = await import('../helpers.js')

useRunner()
const savedRepository = process.env.GITHUB_REPOSITORY
afterAll(() => {
  if (savedRepository === undefined) delete process.env.GITHUB_REPOSITORY
  else process.env.GITHUB_REPOSITORY = savedRepository
})

const KEY = 'AKIAOLDALICE00000001'
const OTHER = 'AKIAOLDALICE00000002'
const created = new Date(Math.floor((Date.now() - 200 * 86_400_000) / 1000) * 1000)

beforeEach(() => {
  process.env.GITHUB_REPOSITORY = 'octo/infra'
  core.useInputs({ 'create-issue': 'true', 'github-token': 'ghs_token', remediation: 'comment', 'remediation-approvers': 'sec-lead' })
  readCommentEvent.mockResolvedValue({ kind: 'comment', comment: { commentId: 1, body: `/deactivate ${KEY}`, author: 'sec-lead', issueNumber: 7 } })
  iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' })
  iamMock.on(GetCredentialReportCommand).resolves({
    Content: new TextEncoder().encode(credentialReportCsv(credentialReportRow('old-alice', [{ active: true, created }]))),
    GeneratedTime: new Date()
  })
  iamMock.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [{ UserName: 'old-alice', AccessKeyId: KEY, Status: 'Active', CreateDate: created }] })
})

const outcome = (accessKeyId: string, result: 'done' | 'failed', reason: string | null) => ({
  accessKeyId,
  userName: 'old-alice',
  verb: 'deactivate' as const,
  dryRun: false,
  result,
  before: 'Active' as const,
  after: result === 'done' ? ('Inactive' as const) : null,
  lastUsedAt: null,
  reason
})

describe('run: a remediation that went partly wrong, then the scan', () => {
  it("lists the key not changed and the reply not posted under the summary's 'This step failed', and fails the step with them", async () => {
    remediate.mockResolvedValue({
      kind: 'acted',
      accountId: ACCOUNT,
      own: true,
      requester: 'sec-lead',
      outcomes: [outcome(OTHER, 'done', null), outcome(KEY, 'failed', 'iam:UpdateAccessKey was denied')],
      replyError: 'the reply could not be posted (HTTP 403)'
    } as RemediationResult)

    await run()

    const summary = summaryText()
    const reasons = /\*\*This step failed:\*\*\n\n((?:- .*\n)+)/.exec(summary)?.[1] ?? ''
    expect(reasons).toContain(`- Remediation: ${KEY}: iam:UpdateAccessKey was denied\n`)
    expect(reasons).toContain('- Remediation: the reply could not be posted (HTTP 403); what was done is in the report')
    expect(reasons).not.toContain(OTHER)
    // One failure for the step, at its end, with every reason.
    expect(core.setFailed).toHaveBeenCalledTimes(1)
    const [message] = core.setFailed.mock.calls[0]
    expect(String(message)).toContain(`Remediation: ${KEY}: iam:UpdateAccessKey was denied`)
    expect(String(message)).toContain('Remediation: the reply could not be posted (HTTP 403)')
  })
})
