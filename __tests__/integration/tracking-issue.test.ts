// create-issue: one open tracking issue per account, kept current, closed when clean.
// The built action against moto and a local server with GitHub's issues endpoints.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { seedKeys, type SeededKey } from './support/aws.js'
import { startFakeGitHub, type FakeGitHub } from './support/github-api.js'
import { motoAvailability, startMoto, type MotoServer } from './support/moto.js'
import { motoEnv, runAction } from './support/run-action.js'

const { available } = motoAvailability()
const describeMoto = available ? describe : describe.skip
const MARKER = '<!-- iam-key-sentry:account=123456789012 -->'
const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version

function githubEnv(github: FakeGitHub): Record<string, string> {
  return {
    GITHUB_API_URL: github.url,
    GITHUB_REPOSITORY: 'acme/infra',
    GITHUB_SERVER_URL: 'https://github.example',
    GITHUB_RUN_ID: '4242'
  }
}

describeMoto('the tracking issue through a day-by-day life', () => {
  let moto: MotoServer
  let github: FakeGitHub
  let keys: SeededKey[]
  const run = (inputs: Record<string, string> = {}, token = 'good-token') =>
    runAction(
      { 'create-issue': 'true', 'github-token': token, 'issue-assignees': 'sec-lead, @oncall', 'fail-on': 'none', ...inputs },
      { ...motoEnv(moto.endpoint), ...githubEnv(github) }
    )
  const open = () => github.issues.filter((i) => i.state === 'open' && !i.pull_request)

  beforeAll(async () => {
    moto = await startMoto()
    github = await startFakeGitHub()
    github.assignable = new Set(['sec-lead', 'oncall'])
    // A pull request whose body quotes the marker must never be taken for the issue.
    github.issues.push({
      number: 100,
      title: 'docs: explain the marker',
      body: `The action looks for ${MARKER}`,
      state: 'open',
      state_reason: null,
      labels: ['security', 'iam-key-sentry'],
      assignees: [],
      comments: [],
      pull_request: true
    })
    keys = await seedKeys(moto, [
      { userName: 'old-alice', age: '-200d' },
      { userName: 'old-bob', age: '-95d' },
      { userName: 'fresh-carol', age: '+0' }
    ])
  }, 60_000)

  afterAll(async () => {
    await moto?.stop()
    await github?.close()
  })

  it('day 1: findings and no issue: creates one, with labels, assignees, marker and masked ids', async () => {
    const result = await run()
    expect(result.stdout).not.toContain('::error::')
    expect(result.exitCode).toBe(0)
    expect(open()).toHaveLength(1)
    const issue = open()[0]
    expect(result.outputs['issue-number']).toBe(String(issue.number))
    expect(result.outputs['issue-url']).toBe(`https://github.example/acme/infra/issues/${issue.number}`)
    expect(issue.title).toBe('IAM Key Sentry: 2 stale access keys in account 123456789012')
    expect(issue.labels).toEqual(['security', 'iam-key-sentry'])
    expect([...github.labels]).toEqual(['security', 'iam-key-sentry'])
    expect(issue.assignees).toEqual(['sec-lead', 'oncall'])
    expect(issue.body.startsWith(MARKER)).toBe(true)
    expect(issue.body).toContain('https://github.example/acme/infra/actions/runs/4242')
    const alice = keys.find((k) => k.userName === 'old-alice')!.accessKeyId
    expect(issue.body).toContain(`${alice.slice(0, 4)}…${alice.slice(-4)}`)
    expect(issue.body).not.toContain(alice)
    expect(issue.body).not.toContain('fresh-carol')
    expect(github.requests.filter((r) => r.startsWith('GET /search'))).toEqual([])
  }, 60_000)

  it('day 2: a person renamed it and removed its labels; the same issue is rewritten', async () => {
    const issue = open()[0]
    issue.title = 'Rotate these, team!'
    issue.labels = []
    issue.body = `${MARKER}\nold content`
    const result = await run({ 'mask-key-ids': 'false' })
    expect(result.exitCode).toBe(0)
    expect(open()).toEqual([expect.objectContaining({ number: issue.number, title: 'Rotate these, team!' })])
    expect(issue.body).not.toContain('old content')
    const alice = keys.find((k) => k.userName === 'old-alice')!.accessKeyId
    expect(issue.body).toContain(alice) // mask-key-ids: false
    expect(result.outputs['issue-number']).toBe(String(issue.number))
  }, 60_000)

  it('day 3: the account is clean: comments and closes the issue as completed', async () => {
    const issue = open()[0]
    const result = await run({ 'max-key-age-days': '365' })
    expect(result.exitCode).toBe(0)
    expect(open()).toEqual([])
    expect(issue.state).toBe('closed')
    expect(issue.state_reason).toBe('completed')
    expect(issue.comments).toHaveLength(1)
    expect(issue.comments[0]!.body).toContain('are within policy')
    expect(issue.comments[0]!.body).toContain('https://github.example/acme/infra/actions/runs/4242')
    expect(result.outputs['issue-number']).toBeUndefined()
  }, 60_000)

  it('day 4: clean again: nothing to do', async () => {
    // Writes only: the GraphQL viewer query that names the token's account is a POST that reads.
    const writes = () => github.requests.filter((r) => !r.startsWith('GET') && r !== 'POST /graphql').length
    const before = writes()
    const result = await run({ 'max-key-age-days': '365' })
    expect(result.exitCode).toBe(0)
    expect(writes()).toBe(before)
  }, 60_000)

  it('day 5: findings come back: exactly one open issue again, and it stays one', async () => {
    await run()
    await run()
    expect(open()).toHaveLength(1)
    expect(open()[0].body).toContain('old-bob')
  }, 60_000)

  it('named itself in every request of those days: the action, its version, the workflow run, then Octokit', () => {
    expect(github.userAgents.length).toBeGreaterThan(0)
    for (const userAgent of github.userAgents) {
      expect(userAgent.split(' ').slice(0, 3)).toEqual([`iam-key-sentry/${VERSION}`, 'github-run/4242', expect.stringMatching(/^octokit-core\.js\//)])
    }
  })

  it('a token without issues: write: the step fails naming the permission; outputs and summary still written', async () => {
    const result = await run({}, github.readOnlyToken)
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain('Resource not accessible by integration')
    expect(result.stdout).toContain('issues: write')
    expect(result.outputs['stale-count']).toBe('2')
    expect(result.summary).toContain('2 stale keys')
  }, 60_000)

  it('rejects a bad create-issue and bad assignees before any call', async () => {
    const requests = github.requests.length
    const result = await runAction(
      { 'create-issue': 'yes', 'github-token': 't', 'issue-assignees': 'good-one, -bad-, also bad' },
      { ...motoEnv('http://127.0.0.1:9'), ...githubEnv(github) }
    )
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain('create-issue: "yes" is not accepted; use true or false')
    expect(result.stdout).toContain('issue-assignees: "-bad-", "also bad" is not accepted')
    expect(github.requests.length).toBe(requests)
  }, 30_000)
})

describeMoto('the tracking issue with more findings than an issue can hold', () => {
  let moto: MotoServer
  let github: FakeGitHub

  beforeAll(async () => {
    moto = await startMoto()
    github = await startFakeGitHub()
    // 64-character names and full key ids: about 150 bytes a row, so 600 rows pass 65,536.
    const specs = Array.from({ length: 600 }, (_, i) => ({
      userName: `service-account-with-a-very-long-descriptive-name-number-${String(i).padStart(5, '0')}`.slice(0, 64),
      age: '-200d'
    }))
    await seedKeys(moto, specs)
  }, 120_000)

  afterAll(async () => {
    await moto?.stop()
    await github?.close()
  })

  it('cuts the table to fit 65,536 characters and says how many are not shown', async () => {
    const result = await runAction(
      { 'create-issue': 'true', 'github-token': 'good-token', 'mask-key-ids': 'false', 'fail-on': 'none' },
      { ...motoEnv(moto.endpoint), ...githubEnv(github) }
    )
    expect(result.stdout).not.toContain('::error::')
    expect(result.exitCode).toBe(0)
    expect(github.issues).toHaveLength(1)
    const body = github.issues[0].body
    expect([...body].length).toBeLessThanOrEqual(65_536)
    const shown = body.split('\n').filter((l) => l.startsWith('| stale |')).length
    expect(shown).toBeGreaterThan(300)
    expect(shown).toBeLessThan(600)
    expect(body).toContain(`_${600 - shown} more findings not shown: GitHub limits an issue to 65,536 characters.`)
  }, 120_000)
})

describeMoto('the tracking issue is ours alone, and one even when runs race', () => {
  let moto: MotoServer
  let github: FakeGitHub
  const run = (token = 'installation-token') =>
    runAction(
      { 'create-issue': 'true', 'github-token': token, 'fail-on': 'none' },
      { ...motoEnv(moto.endpoint), ...githubEnv(github) }
    )
  const tracking = () => github.issues.filter((i) => i.body.includes(MARKER))
  const open = () => tracking().filter((i) => i.state === 'open')

  beforeAll(async () => {
    moto = await startMoto()
    github = await startFakeGitHub()
    await seedKeys(moto, [{ userName: 'old-alice', age: '-200d' }])
  }, 60_000)

  afterAll(async () => {
    await moto?.stop()
    await github?.close()
  })

  it("leaves an issue someone else opened with the marker pasted in untouched, opens its own, and logs why", async () => {
    github.issues.length = 0
    const body = `Please add a dark mode.\n\nCopied from the tracking issue: ${MARKER}`
    const feature = github.addIssue({ title: 'Feature request: dark mode', body, labels: ['security', 'iam-key-sentry'] })
    const result = await run()
    expect(result.exitCode).toBe(0)
    expect(feature).toMatchObject({ title: 'Feature request: dark mode', body, state: 'open', comments: [] })
    const ours = open().filter((i) => i !== feature)
    expect(ours).toEqual([expect.objectContaining({ user: { login: 'github-actions[bot]', type: 'Bot' } })])
    expect(result.outputs['issue-number']).toBe(String(ours[0].number))
    expect(result.stdout).toContain(
      `::warning::Issue #${feature.number} carries the marker of account 123456789012 but was opened by octocat, ` +
        "not by this action's token (github-actions[bot]): left untouched"
    )
    // The next run updates its own issue, and still leaves the other alone.
    const again = await run()
    expect(again.outputs['issue-number']).toBe(String(ours[0].number))
    expect(open()).toHaveLength(2)
    expect(feature).toMatchObject({ title: 'Feature request: dark mode', body })
  }, 60_000)

  it('with a personal access token, adopts the issues its user opened, not the bot’s', async () => {
    github.issues.length = 0
    const bots = github.addIssue({ title: 'IAM Key Sentry: old', body: `${MARKER}\nold`, user: { login: 'github-actions[bot]', type: 'Bot' } })
    const result = await run('personal-token')
    expect(result.exitCode).toBe(0)
    const mine = open().filter((i) => i.user?.login === 'sec-automation')
    expect(mine).toHaveLength(1)
    expect(bots.body).toBe(`${MARKER}\nold`)
    expect(result.outputs['issue-number']).toBe(String(mine[0].number))
    expect(result.stdout).toContain(`was opened by github-actions[bot], not by this action's token (sec-automation)`)
  }, 60_000)

  it('two runs started at once end with one open tracking issue, the other closed as its duplicate', async () => {
    for (let trial = 0; trial < 2; trial++) {
      github.issues.length = 0
      github.holdCreates(2)
      const runs = await Promise.all([run(), run()])
      expect(runs.map((r) => r.exitCode)).toEqual([0, 0])
      // Both runs listed before either created: two were opened, one is left open.
      expect(tracking()).toHaveLength(2)
      expect(open()).toHaveLength(1)
      const [kept] = open()
      const [duplicate] = tracking().filter((i) => i.state === 'closed')
      expect(kept.number).toBeLessThan(duplicate.number)
      expect(duplicate.state_reason).toBe('duplicate')
      expect(duplicate.comments.map((c) => c.body)).toEqual([expect.stringMatching(new RegExp(`^Duplicate of #${kept.number}\\n`))])
      expect(kept.comments).toEqual([])
      expect(kept.body).toContain('old-alice')
      // Each run names the issue left open.
      expect(runs.map((r) => r.outputs['issue-number'])).toEqual([String(kept.number), String(kept.number)])
      expect(runs.map((r) => r.outputs['issue-url'])).toEqual([kept.number, kept.number].map((n) => `https://github.example/acme/infra/issues/${n}`))
    }
  }, 120_000)

  it('a run that finds two open issues of ours (an earlier race) keeps the oldest and closes the other', async () => {
    github.issues.length = 0
    const older = github.addIssue({ title: 'IAM Key Sentry: x', body: `${MARKER}\nA`, user: { login: 'github-actions[bot]', type: 'Bot' }, created_at: '2026-03-01T10:00:00Z' })
    const newer = github.addIssue({ title: 'IAM Key Sentry: y', body: `${MARKER}\nB`, user: { login: 'github-actions[bot]', type: 'Bot' }, created_at: '2026-03-01T10:00:01Z' })
    // Listed newest first, as GitHub does; the older is kept all the same.
    const result = await run()
    expect(result.exitCode).toBe(0)
    expect(open()).toEqual([older])
    expect(older.body).toContain('old-alice')
    expect(newer).toMatchObject({ state: 'closed', state_reason: 'duplicate', body: `${MARKER}\nB` })
    expect(newer.comments[0]!.body).toMatch(new RegExp(`^Duplicate of #${older.number}\\n`))
    expect(result.outputs['issue-number']).toBe(String(older.number))
  }, 60_000)
})
