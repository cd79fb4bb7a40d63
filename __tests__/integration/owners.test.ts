// Owners (DESIGN.md, Owners; issue 16) through the built action, against moto and the GitHub
// stand-in checked against GitHub's OpenAPI description: owner tags of each form, an owners file
// with overlapping rules (the last match wins, the tag wins over the file), an unowned user and a
// user named like a GitHub login. The issue's Owners section mentions owners and nobody else, the
// comment for new findings mentions only their owners, and assign-owners keeps the assignees in
// step. A malformed owners file fails the step before any AWS call, listed with the other inputs.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { DeleteAccessKeyCommand, TagUserCommand } from '@aws-sdk/client-iam'
import { seedKeys, iamDo, type SeededKey } from './support/aws.js'
import { startFakeGitHub, type FakeGitHub } from './support/github-api.js'
import type { FakeIssue } from './support/github-objects.js'
import { faketimeEnv, motoAvailability, startMoto, type MotoServer } from './support/moto.js'
import { motoEnv, runAction } from './support/run-action.js'
import { html, visibleText } from '../unit/render/hostile.js'
import type { Report } from '../../src/core/report.js'

const { available } = motoAvailability()
const describeMoto = available ? describe : describe.skip

const OWNERS_FILE = [
  '# Everyone in another account: not this one.',
  "- accounts: ['999999999999']",
  "  users: ['*']",
  "  owners: ['@acme/elsewhere']",
  '# Service users: the platform team. A later rule beats an earlier one.',
  "- users: ['svc-*', 'deploy-*']",
  "  owners: ['@acme/security']",
  "- users: ['svc-*']",
  "  owners: ['@acme/platform', 'platform-oncall@example.com']",
  ''
].join('\n')

/** The GitHub mentions a reader sees in rendered Markdown: outside code, `@login` or `@org/team`. */
function mentions(markdown: string): string[] {
  const text = visibleText(html(markdown).replace(/<code>[\s\S]*?<\/code>/g, ' '))
  return [...new Set([...text.matchAll(/(?:^|[^\w`])@([A-Za-z0-9-]+(?:\/[A-Za-z0-9._-]+)?)/g)].map((m) => `@${m[1]}`))].sort()
}

const tag = (moto: MotoServer, userName: string, value: string) =>
  iamDo(moto, (iam) => iam.send(new TagUserCommand({ UserName: userName, Tags: [{ Key: 'Owner', Value: value }] })))

describeMoto('owners: every finding reaches the person who must rotate the key', () => {
  let moto: MotoServer
  let github: FakeGitHub
  let workspace: string
  let keys: SeededKey[]
  const run = (day: number, inputs: Record<string, string> = {}) =>
    runAction(
      { 'create-issue': 'true', 'github-token': 'good-token', 'fail-on': 'none', 'assign-owners': 'true', 'issue-assignees': 'sec-lead', ...inputs },
      {
        ...motoEnv(moto.endpoint),
        GITHUB_API_URL: github.url,
        GITHUB_REPOSITORY: 'acme/infra',
        GITHUB_SERVER_URL: 'https://github.example',
        GITHUB_WORKSPACE: workspace,
        ...(day ? faketimeEnv(`+${day}d`) : {})
      }
    )
  const issue = (): FakeIssue => {
    const open = github.issues.filter((i) => i.state === 'open')
    if (open.length !== 1) throw new Error(`expected one open issue, found ${open.length}`)
    return open[0]!
  }
  const reportOf = (outputs: Record<string, string>) => JSON.parse(readFileSync(outputs['report-file']!, 'utf8')) as Report
  const ownersOf = (report: Report, userName: string) => report.findings.find((f) => f.userName === userName)?.owners

  beforeAll(async () => {
    moto = await startMoto()
    github = await startFakeGitHub()
    github.assignable = new Set(['sec-lead', 'alice', 'bob', 'erin'])
    workspace = mkdtempSync(join(tmpdir(), 'owners-workspace-'))
    mkdirSync(join(workspace, '.github'))
    writeFileSync(join(workspace, '.github/iam-key-owners.yml'), OWNERS_FILE)
    keys = await seedKeys(moto, [
      { userName: 'alice-cli', age: '-200d' },
      { userName: 'svc-billing', age: '-150d' },
      { userName: 'svc-deploy', age: '-140d' },
      { userName: 'deploy-x', age: '-130d' },
      { userName: 'old-tim', age: '-120d' },
      { userName: '@torvalds', age: '-110d' },
      { userName: 'carol-ci', age: '-100d' }
    ])
    await tag(moto, 'alice-cli', '@alice')
    // The tag wins over the file's svc-* rule; an address and a login, comma-separated.
    await tag(moto, 'svc-deploy', '@bob, bob@example.com')
    // A login that cannot be assigned in the repository, and a word that is no owner.
    await tag(moto, 'carol-ci', '@carol Carol')
  }, 120_000)

  afterAll(async () => {
    await moto?.stop()
    await github?.close()
  })

  it('day 1: owners from tags and the file, an Owners section that mentions only owners, and the owners assigned', async () => {
    const result = await run(0)
    expect(result.exitCode).toBe(0)
    const report = reportOf(result.outputs)
    expect(ownersOf(report, 'alice-cli')).toEqual(['@alice'])
    expect(ownersOf(report, 'svc-billing')).toEqual(['@acme/platform', 'platform-oncall@example.com'])
    expect(ownersOf(report, 'svc-deploy')).toEqual(['@bob', 'bob@example.com'])
    expect(ownersOf(report, 'deploy-x')).toEqual(['@acme/security'])
    expect(ownersOf(report, 'old-tim')).toEqual([])
    expect(ownersOf(report, '@torvalds')).toEqual([])
    expect(ownersOf(report, 'carol-ci')).toEqual(['@carol', 'Carol'])
    expect(result.outputs['unowned-count']).toBe('2')
    // The plain name is kept and said, in the log (a warning) and the summary.
    expect(result.stdout).toMatch(/::warning::\[123456789012\] user carol-ci: owner tag owner: "Carol" is not a GitHub login/)
    expect(result.summary).toContain('is not a GitHub login')

    const body = issue().body
    expect(body).toMatch(/Owners/)
    expect(body).toMatch(/Unowned/)
    // Only owners are mentions: never a user name from AWS, never an e-mail address.
    expect(mentions(body)).toEqual(['@acme/platform', '@acme/security', '@alice', '@bob', '@carol'])
    expect(html(body)).not.toMatch(/mailto:/)
    // Logins that can be assigned, after issue-assignees; the team and carol cannot be.
    expect(issue().assignees).toEqual(['sec-lead', 'alice', 'bob'])
    expect(result.stdout).toContain('@carol')
    expect(result.stdout).toMatch(/::warning::.*cannot be assigned/)
    // The summary has the owners too, as text: a job summary pings nobody either way.
    expect(result.summary).toMatch(/@alice/)
  }, 120_000)

  it('day 2: a new key pings only its owner, in one comment; assignees follow the owners', async () => {
    const erin = await seedKeys(moto, [{ userName: 'erin-app', age: '-99d' }])
    await tag(moto, 'erin-app', '@erin')
    // alice's key is deleted: she no longer owns a finding, so she is unassigned.
    const alice = keys.find((k) => k.userName === 'alice-cli')!
    await iamDo(moto, (iam) => iam.send(new DeleteAccessKeyCommand({ UserName: alice.userName, AccessKeyId: alice.accessKeyId })))
    const result = await run(1)
    expect(result.exitCode).toBe(0)
    expect(result.outputs['new-count']).toBe('1')
    const comments = issue().comments.filter((c) => !c.body.includes('iam-key-sentry:state'))
    expect(comments).toHaveLength(1)
    expect(comments[0]!.body).toContain(erin[0]!.accessKeyId.slice(-4))
    expect(mentions(comments[0]!.body)).toEqual(['@erin'])
    expect(issue().assignees).toEqual(['sec-lead', 'bob', 'erin'])
  }, 120_000)
})

describe('a malformed owners file fails the step before any AWS call', () => {
  it('names the file, each bad line, and the other bad inputs, all at once', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'owners-bad-'))
    writeFileSync(
      join(workspace, 'owners.yml'),
      ["- users: ['svc billing']", "  owners: ['@/x']", '- users: a', "  owners: ['alice@']", '- owners: [x]', ''].join('\n')
    )
    // No AWS endpoint at all: a call would fail differently.
    const result = await runAction(
      { 'owners-file': 'owners.yml', 'max-key-age-days': 'ninety' },
      { GITHUB_WORKSPACE: workspace, AWS_ENDPOINT_URL: 'http://127.0.0.1:9' }
    )
    expect(result.exitCode).toBe(1)
    const error = result.stdout.split('\n').find((l) => l.startsWith('::error::'))!
    expect(error).toMatch(/^::error::Invalid input \(5\):/)
    expect(error).toContain('max-key-age-days:')
    expect(error).toContain('owners-file: owners.yml line 1: "users": "svc billing" can never match an IAM user name')
    expect(error).toContain('owners-file: owners.yml line 2: "owners": "@/x" is not a GitHub login')
    expect(error).toContain('owners-file: owners.yml line 4: "owners": "alice@" is not a GitHub login')
    expect(error).toContain('owners-file: owners.yml line 5: rule 3 has no "users"')
    expect(result.outputs).toEqual({})
  }, 60_000)

  it('refuses an owners file named explicitly that is not there (every other run here has no file at the default path: no rules)', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'owners-missing-'))
    const named = await runAction({ 'owners-file': 'ops/owners.yml' }, { GITHUB_WORKSPACE: workspace, AWS_ENDPOINT_URL: 'http://127.0.0.1:9' })
    expect(named.exitCode).toBe(1)
    expect(named.stdout).toMatch(/::error::Invalid input \(1\):%0A- owners-file: ops\/owners.yml does not exist/)
  }, 60_000)
})
