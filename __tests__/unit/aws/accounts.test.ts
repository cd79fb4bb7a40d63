import { ListAccountsCommand, OrganizationsClient, type Account } from '@aws-sdk/client-organizations'
import { afterAll, beforeEach, describe, expect, it } from '@jest/globals'
import { mockClient } from 'aws-sdk-client-mock'
import { listOrganizationAccounts } from '../../../src/aws/organization.js'

const orgMock = mockClient(OrganizationsClient)
const org = new OrganizationsClient({ region: 'us-east-1' })

const account = (id: string, state: Account['State'], name = `acct-${id.slice(-2)}`): Account => ({ Id: id, Name: name, State: state })

beforeEach(() => {
  orgMock.reset()
})
afterAll(() => orgMock.restore())

describe('listOrganizationAccounts', () => {
  it('returns the ACTIVE accounts of every page, with their names', async () => {
    orgMock
      .on(ListAccountsCommand, { NextToken: undefined })
      .resolves({ Accounts: [account('111111111111', 'ACTIVE', 'prod'), account('222222222222', 'SUSPENDED')], NextToken: 'p2' })
      .on(ListAccountsCommand, { NextToken: 'p2' })
      .resolves({ Accounts: [{ Id: '333333333333', Name: 'legacy', Status: 'ACTIVE' }] })

    expect(await listOrganizationAccounts(org)).toEqual([
      { id: '111111111111', name: 'prod' },
      { id: '333333333333', name: 'legacy' }
    ])
  })

  // Scanning nothing is not a clean organization.
  it('fails when ListAccounts lists no account at all', async () => {
    orgMock.on(ListAccountsCommand).resolves({ Accounts: [] })

    await expect(listOrganizationAccounts(org)).rejects.toThrow(
      'accounts is "organization", but organizations:ListAccounts shows the caller no ACTIVE account to scan (it listed no account at all)'
    )
  })

  it('fails when every listed account is SUSPENDED or closing, counting them by state', async () => {
    orgMock
      .on(ListAccountsCommand, { NextToken: undefined })
      .resolves({ Accounts: [account('111111111111', 'SUSPENDED'), account('222222222222', 'PENDING_CLOSURE')], NextToken: 'p2' })
      .on(ListAccountsCommand, { NextToken: 'p2' })
      .resolves({ Accounts: [account('333333333333', 'SUSPENDED')] })

    await expect(listOrganizationAccounts(org)).rejects.toThrow(
      'accounts is "organization", but organizations:ListAccounts shows the caller no ACTIVE account to scan ' +
        '(it listed 3 accounts, none ACTIVE: 2 SUSPENDED, 1 PENDING_CLOSURE)'
    )
  })

  it('names organizations:ListAccounts when it is denied', async () => {
    orgMock.on(ListAccountsCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }))

    await expect(listOrganizationAccounts(org)).rejects.toThrow(
      'organizations:ListAccounts (call it from the management account or a delegated administrator account) was denied'
    )
  })
})
