// accounts: organization through run(): an organization with nothing to scan fails the step.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { IAMClient } from '@aws-sdk/client-iam'
import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations'
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { afterAll, afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { mockClient } from 'aws-sdk-client-mock'
import * as core from '../../../__fixtures__/core.js'

jest.unstable_mockModule('@actions/core', () => core)
const { run } = await import('../../../src/action/main.js')

const iamMock = mockClient(IAMClient)
const stsMock = mockClient(STSClient)
const orgMock = mockClient(OrganizationsClient)
const ACCOUNT = '123456789012'
const COUNTS = ['stale-count', 'finding-count', 'users-scanned', 'keys-scanned']
const outputNames = () => core.outputs().map(([name]) => name)

let tmp: string
const saved = { RUNNER_TEMP: process.env.RUNNER_TEMP, GITHUB_STEP_SUMMARY: process.env.GITHUB_STEP_SUMMARY }

beforeEach(async () => {
  jest.clearAllMocks()
  for (const m of [iamMock, stsMock, orgMock]) m.reset()
  tmp = await mkdtemp(join(tmpdir(), 'key-sentry-org-'))
  process.env.RUNNER_TEMP = tmp
  process.env.GITHUB_STEP_SUMMARY = join(tmp, 'step-summary.md')
  await writeFile(process.env.GITHUB_STEP_SUMMARY, '')
  stsMock.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/ci` })
  core.useInputs({ accounts: 'organization', 'fail-on': 'none' })
})

afterEach(async () => {
  await rm(tmp, { recursive: true, force: true })
})

afterAll(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
  for (const m of [iamMock, stsMock, orgMock]) m.restore()
})

describe('run: an organization with no ACTIVE account', () => {
  it.each([
    ['no account', [], 'it listed no account at all'],
    [
      'only SUSPENDED accounts',
      [
        { Id: '111111111111', Name: 'old', State: 'SUSPENDED' as const },
        { Id: '222222222222', Name: 'older', State: 'SUSPENDED' as const }
      ],
      'it listed 2 accounts, none ACTIVE: 2 SUSPENDED'
    ]
  ])('fails the step saying why, scans nothing and sets no counts (%s)', async (_, accounts, why) => {
    orgMock.on(ListAccountsCommand).resolves({ Accounts: accounts })

    await run()

    const error = `accounts is "organization", but organizations:ListAccounts shows the caller no ACTIVE account to scan (${why})`
    expect(core.setFailed.mock.calls).toEqual([[`The scan of account ${ACCOUNT} did not complete: ${error}`]])
    expect(iamMock.calls()).toHaveLength(0)
    for (const name of COUNTS) expect(outputNames()).not.toContain(name)
    const report = JSON.parse(await readFile(String(core.outputs().find(([n]) => n === 'report-file')?.[1]), 'utf8'))
    expect(report.accounts).toEqual([expect.objectContaining({ accountId: ACCOUNT, users: null, error })])
    expect(core.summary.addRaw.mock.calls.map(([text]) => text).join('')).toContain(error)
  })
})
