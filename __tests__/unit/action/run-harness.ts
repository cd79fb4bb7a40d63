// The harness the run() tests share: @actions/core and the runner's token service mocked,
// run imported after them, the AWS clients mocked, and a runner's temp folder and job
// summary file per test. A test file imports this module before anything it tests, so the
// mocks are registered before main.js is loaded.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { IAMClient, ListUserTagsCommand } from '@aws-sdk/client-iam'
import { OrganizationsClient } from '@aws-sdk/client-organizations'
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns'
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { afterAll, afterEach, beforeEach, jest } from '@jest/globals'
import { mockClient } from 'aws-sdk-client-mock'
import * as core from '../../../__fixtures__/core.js'

jest.unstable_mockModule('@actions/core', () => core)
/** The runner's token service (its own tests: id-token.test.ts). */
export const fetchIdToken = jest.fn<(audience: string, timeoutMs: number) => Promise<string>>()
jest.unstable_mockModule('../../../src/action/id-token.js', () => ({ fetchIdToken }))
export const { run, writeHeldGroups, writeOnCancel, STOPPED_BEFORE_SINKS } = await import('../../../src/action/main.js')
export { core }

export const iamMock = mockClient(IAMClient)
export const stsMock = mockClient(STSClient)
export const snsMock = mockClient(SNSClient)
export const orgMock = mockClient(OrganizationsClient)
const mocks = [iamMock, stsMock, snsMock, orgMock]

/** The account the credentials belong to. */
export const ACCOUNT = '123456789012'
export const arn = (user: string) => `arn:aws:iam::${ACCOUNT}:user/${user}`

export const outputNames = () => core.outputs().map(([name]) => name)
export const output = (name: string) => core.outputs().find(([n]) => n === name)?.[1]
export const summaryText = () => core.summary.addRaw.mock.calls.map(([text]) => text).join('')

const ENV_NAMES = ['RUNNER_TEMP', 'GITHUB_STEP_SUMMARY', 'ACTIONS_ID_TOKEN_REQUEST_URL', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN']

/**
 * Before each test: mocks cleared and AWS mocks reset, no OIDC request variables, a fresh
 * RUNNER_TEMP with an empty GITHUB_STEP_SUMMARY file in it, and AWS answering: the caller a
 * user in ACCOUNT, users without tags, sns:Publish message msg-1. After each, the folder removed; after all, the
 * environment and the AWS clients restored. Call once, at the top of a test file.
 */
export function useRunner(): { readonly temp: string } {
  const savedEnv = Object.fromEntries(ENV_NAMES.map((name) => [name, process.env[name]]))
  let temp = ''

  beforeEach(async () => {
    jest.clearAllMocks()
    for (const m of mocks) m.reset()
    delete process.env.ACTIONS_ID_TOKEN_REQUEST_URL
    delete process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN
    temp = await mkdtemp(join(tmpdir(), 'key-sentry-run-'))
    process.env.RUNNER_TEMP = temp
    process.env.GITHUB_STEP_SUMMARY = join(temp, 'step-summary.md')
    await writeFile(process.env.GITHUB_STEP_SUMMARY, '')
    stsMock.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: arn('ci'), UserId: 'AIDACI' })
    iamMock.on(ListUserTagsCommand).resolves({ Tags: [], IsTruncated: false })
    snsMock.on(PublishCommand).resolves({ MessageId: 'msg-1' })
  })

  afterEach(async () => {
    await rm(temp, { recursive: true, force: true })
  })

  afterAll(() => {
    for (const [name, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
    for (const m of mocks) m.restore()
  })

  return {
    get temp() {
      return temp
    }
  }
}
