// accounts: organization through run(): an organization with nothing to scan fails the step.
import { readFile } from 'node:fs/promises'
import { ListAccountsCommand } from '@aws-sdk/client-organizations'
import { beforeEach, describe, expect, it } from '@jest/globals'
import { ACCOUNT, core, iamMock, orgMock, output, outputNames, run, summaryText, useRunner } from './run-harness.js'

useRunner()
beforeEach(() => core.useInputs({ accounts: 'organization', 'fail-on': 'none' }))

const COUNTS = ['stale-count', 'finding-count', 'users-scanned', 'keys-scanned']

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
    const report = JSON.parse(await readFile(String(output('report-file')), 'utf8'))
    expect(report.accounts).toEqual([expect.objectContaining({ accountId: ACCOUNT, users: null, error })])
    expect(summaryText()).toContain(error)
  })
})
