import { describe, expect, it } from '@jest/globals'
import { describeFailures, describeWarnings, groupFailures } from '../../../src/render/failures.js'
import type { AccountFailure } from '../../../src/core/model.js'

const id = (n: number) => String(100000000000 + n)
const denied = (accountId: string): AccountFailure => ({
  accountId,
  error: `sts:AssumeRole into arn:aws:iam::${accountId}:role/Audit failed (AccessDenied: User: arn:aws:iam::999999999999:user/ci is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${accountId}:role/Audit)`
})

describe('groupFailures', () => {
  it('groups failures whose messages differ only by their own account id, the largest group first', () => {
    const failures = [{ accountId: id(0), error: 'throttled' }, ...[1, 2, 3].map((n) => denied(id(n))), { accountId: id(4), error: 'throttled' }]
    expect(groupFailures(failures)).toEqual([
      {
        error:
          'sts:AssumeRole into arn:aws:iam::<account>:role/Audit failed (AccessDenied: User: arn:aws:iam::999999999999:user/ci is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::<account>:role/Audit)',
        accountIds: [id(1), id(2), id(3)],
        first: denied(id(1)).error
      },
      { error: 'throttled', accountIds: [id(0), id(4)], first: 'throttled' }
    ])
  })

  it('keeps a failure before any account was known', () => {
    expect(groupFailures([{ accountId: null, error: 'no credentials' }])).toEqual([
      { error: 'no credentials', accountIds: [null], first: 'no credentials' }
    ])
  })
})

describe('describeFailures', () => {
  it('tells one account as before: its id and its own error', () => {
    expect(describeFailures([denied(id(1))])).toEqual([`The scan of account ${id(1)} did not complete: ${denied(id(1)).error}`])
    expect(describeFailures([{ accountId: null, error: 'no credentials' }])).toEqual(['The scan did not complete: no credentials'])
  })

  it('tells 10,000 accounts with one error in one line: the first 20 ids and a count of the rest', () => {
    const failures = Array.from({ length: 10_000 }, (_, n) => denied(id(n)))
    const lines = describeFailures(failures)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^The scan of 10000 accounts did not complete: sts:AssumeRole into arn:aws:iam::<account>:role\/Audit failed/)
    expect(lines[0]).toContain(`(accounts ${Array.from({ length: 20 }, (_, n) => id(n)).join(', ')}, and 9980 more)`)
    expect(lines[0]).not.toContain(id(20))
    expect(lines[0].length).toBeLessThan(1_000)
  })

  it('stays bounded when every account fails differently', () => {
    const failures = Array.from({ length: 10_000 }, (_, n) => ({ accountId: id(n), error: `error ${n}: ${'x'.repeat(2_000)}` }))
    const lines = describeFailures(failures)
    expect(lines).toHaveLength(11)
    expect(lines[10]).toBe('The scan of 9990 more accounts did not complete, with 9990 other errors; the report file has every account and its error.')
    expect(Buffer.byteLength(lines.join('\n'))).toBeLessThan(10_000)
  })
})

describe('describeWarnings: a mistake in many accounts is one line', () => {
  it('names one account by its id, several by their first 20 ids and a count', () => {
    expect(describeWarnings([{ accountId: '111111111111', warning: 'user bob: tag x="yes" exempts nothing' }])).toEqual([
      '[111111111111] user bob: tag x="yes" exempts nothing'
    ])
    const many = Array.from({ length: 10_000 }, (_, n) => ({ accountId: id(n), warning: 'exempt-users "*" matches every user name' }))
    const lines = describeWarnings(many)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toBe(
      `exempt-users "*" matches every user name (accounts ${Array.from({ length: 20 }, (_, n) => id(n)).join(', ')}, and 9980 more)`
    )
  })

  it('tells at most 10 distinct warnings, the largest first, and counts the rest', () => {
    const warnings = Array.from({ length: 30 }, (_, n) => ({ accountId: id(n), warning: `user u${n}: tag x="yes" exempts nothing` }))
    warnings.push({ accountId: id(99), warning: 'user u0: tag x="yes" exempts nothing' })
    const lines = describeWarnings(warnings)
    expect(lines).toHaveLength(11)
    expect(lines[0]).toBe(`user u0: tag x="yes" exempts nothing (accounts ${id(0)}, ${id(99)})`)
    expect(lines[10]).toBe('20 more warnings: the job summary and the report file have each account\'s notes.')
  })
})

describe('describeWarnings: one account', () => {
  // Each bad tag value on a user is a ::warning:: of its own (issue 13): no cap within one account.
  it('tells every warning of a single account, however many', () => {
    const warnings = Array.from({ length: 30 }, (_, n) => ({ accountId: id(0), warning: `user u${n}: tag x="yes" exempts nothing` }))
    const lines = describeWarnings(warnings)
    expect(lines).toHaveLength(30)
    expect(lines[29]).toBe(`[${id(0)}] user u29: tag x="yes" exempts nothing`)
  })
})
