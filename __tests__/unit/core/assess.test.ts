import { describe, expect, it } from '@jest/globals'
import { assess, type AssessInput } from '../../../src/core/assess.js'
import type { Inventory } from '../../../src/core/model.js'
import { ACCOUNT, NOW, finding, keyRecord } from '../helpers.js'

const TAG = 'key-sentry:exempt'
const inventory: Inventory = { dataSource: 'api', users: 3, keys: [keyRecord(), keyRecord(), keyRecord()], notes: ['listed'] }

function input(overrides: Partial<AssessInput> = {}): AssessInput {
  return {
    accountId: ACCOUNT,
    inventory,
    findings: [finding({ userName: 'alice' }), finding({ userName: 'svc-ci' })],
    exemptions: { userPatterns: ['svc-*'], tagKey: TAG },
    tags: new Map(),
    now: NOW,
    ...overrides
  }
}

describe('assess', () => {
  it('builds the account scan from the inventory and the exempted findings', () => {
    const { scan, warnings } = assess(input())
    expect(scan).toEqual({
      accountId: ACCOUNT,
      dataSource: 'api',
      users: 3,
      keys: 3,
      findings: [finding({ userName: 'alice' }), { ...finding({ userName: 'svc-ci' }), exempt: true, exemptReason: 'exempt-users svc-*' }],
      notes: ['listed']
    })
    expect(warnings).toEqual([])
  })

  it('warns of a catch-all exempt-users, and notes it after the inventory notes', () => {
    const { scan, warnings } = assess(input({ exemptions: { userPatterns: ['*'], tagKey: TAG } }))
    expect(warnings).toEqual([expect.stringMatching(/^exempt-users "\*" matches every user name: every user with findings is exempt \(2 users\)/)])
    expect(scan.notes).toEqual(['listed', ...warnings])
    expect(scan.findings.every((f) => f.exempt)).toBe(true)
  })

  it('reads a tag value that exempts nothing as a warning', () => {
    const { scan, warnings } = assess(input({ exemptions: { userPatterns: [], tagKey: TAG }, tags: new Map([['alice', 'maybe']]) }))
    expect(warnings).toEqual([
      'user alice: tag key-sentry:exempt="maybe" is neither true nor a date (YYYY-MM-DD), so it exempts nothing'
    ])
    expect(scan.notes).toEqual(['listed', ...warnings])
  })
})
