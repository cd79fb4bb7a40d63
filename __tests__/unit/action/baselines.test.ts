// Which baseline each scanned account is compared with: its open tracking issue's record, an
// empty one when it has no open issue, else the previous-report file, else none.
import { describe, expect, it } from '@jest/globals'
import { chooseBaselines, type ChooseBaselinesInput, type PreviousReport } from '../../../src/action/baselines.js'
import type { Baseline } from '../../../src/core/lifecycle.js'
import type { DecodedState } from '../../../src/render/issue-state.js'
import type { OpenIssue } from '../../../src/sinks/tracking-issue.js'
import { ACCOUNT, OTHER_ACCOUNT, recording } from '../helpers.js'

const THIRD = '333333333333'

const baseline = (accountId: string, userName: string): Baseline => ({
  accountId,
  keys: [{ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', createdAt: '2026-01-01T00:00:00Z', userName, kind: 'stale', firstSeenAt: '2026-09-01' }]
})

const issue = (number: number, body = `record of #${number}`): OpenIssue => ({
  number,
  title: `IAM Key Sentry: findings in account ${number}`,
  body,
  url: `https://github.com/acme/infra/issues/${number}`
})

/** A previous report that had ACCOUNT and OTHER_ACCOUNT. */
const PREVIOUS: PreviousReport = {
  ok: true,
  baselines: {
    ok: true,
    schemaVersion: 2,
    generatedAt: '2026-11-23T12:00:00Z',
    baselines: new Map([
      [ACCOUNT, baseline(ACCOUNT, 'from-report')],
      [OTHER_ACCOUNT, baseline(OTHER_ACCOUNT, 'from-report')]
    ]),
    failedAccounts: []
  }
}

const RECORD = baseline(ACCOUNT, 'from-issue')

function choose(overrides: Partial<ChooseBaselinesInput> & { records?: Record<number, DecodedState> } = {}) {
  const { lines, log } = recording()
  const { records = {}, ...rest } = overrides
  const read: [number, string][] = []
  const input: ChooseBaselinesInput = {
    accountIds: [ACCOUNT],
    issues: null,
    record: (i, accountId) => {
      read.push([i.number, accountId])
      return records[i.number] ?? { ok: false, reason: 'missing', error: 'no record' }
    },
    previous: null,
    log,
    ...rest
  }
  return { choice: chooseBaselines(input), lines, read }
}

describe('chooseBaselines: create-issue on', () => {
  it('takes the open issue\'s record over the previous report, reading only the oldest issue', () => {
    const { choice, lines, read } = choose({
      issues: new Map([[ACCOUNT, [issue(7), issue(9)]]]),
      records: { 7: { ok: true, state: RECORD }, 9: { ok: true, state: baseline(ACCOUNT, 'newer') } },
      previous: PREVIOUS
    })
    expect(choice.byAccount).toEqual(new Map([[ACCOUNT, { source: 'tracking-issue', baseline: RECORD }]]))
    expect(read).toEqual([[7, ACCOUNT]])
    expect(choice.notes).toEqual([])
    expect(choice.accountNotes).toEqual(new Map())
    expect(lines).toEqual([])
  })

  it('gives an account with no open issue an empty baseline (no-open-issue), not the previous report', () => {
    const { choice, read } = choose({ accountIds: [ACCOUNT, OTHER_ACCOUNT], issues: new Map([[ACCOUNT, []]]), previous: PREVIOUS })
    expect(choice.byAccount).toEqual(
      new Map([
        [ACCOUNT, { source: 'no-open-issue', baseline: { accountId: ACCOUNT, keys: [] } }],
        [OTHER_ACCOUNT, { source: 'no-open-issue', baseline: { accountId: OTHER_ACCOUNT, keys: [] } }]
      ])
    )
    expect(read).toEqual([])
    expect(choice.notes).toEqual([])
  })

  it('falls back to the previous report when the issue has no record yet, else to none, and only logs it', () => {
    const { choice, lines } = choose({
      accountIds: [ACCOUNT, THIRD],
      issues: new Map([
        [ACCOUNT, [issue(7)]],
        [THIRD, [issue(8)]]
      ]),
      previous: PREVIOUS
    })
    expect(choice.byAccount).toEqual(
      new Map([
        [ACCOUNT, { source: 'previous-report', baseline: PREVIOUS.ok ? PREVIOUS.baselines.baselines.get(ACCOUNT) : null }],
        [THIRD, null]
      ])
    )
    expect(lines).toEqual([
      `info [${ACCOUNT}] tracking issue #7 has no record yet (written before v2): the previous report is the baseline`,
      `info [${THIRD}] tracking issue #8 has no record yet (written before v2): no baseline, so nothing is marked new or resolved; this run starts a new record`
    ])
    expect(choice.notes).toEqual([])
    expect(choice.accountNotes).toEqual(new Map())
  })

  it('has no baseline for a missing record without a previous report', () => {
    const { choice } = choose({ issues: new Map([[ACCOUNT, [issue(7)]]]) })
    expect(choice.byAccount).toEqual(new Map([[ACCOUNT, null]]))
  })

  it('warns about a record it cannot read, in the log and the account\'s notes, and has no baseline', () => {
    const { choice, lines } = choose({
      issues: new Map([[ACCOUNT, [issue(7)]]]),
      records: { 7: { ok: false, reason: 'corrupt', error: 'the crc does not match' } }
    })
    const note =
      'the record in tracking issue #7 could not be read (the crc does not match): no baseline, so nothing is marked new or resolved; this run starts a new record'
    expect(choice.byAccount).toEqual(new Map([[ACCOUNT, null]]))
    expect(choice.accountNotes).toEqual(new Map([[ACCOUNT, [note]]]))
    expect(choice.notes).toEqual([])
    expect(lines).toEqual([`warning [${ACCOUNT}] ${note}`])
  })

  it('falls back to the previous report for an unreadable record, and still says so', () => {
    const { choice } = choose({
      issues: new Map([[ACCOUNT, [issue(7)]]]),
      records: { 7: { ok: false, reason: 'ambiguous', error: 'two records' } },
      previous: PREVIOUS
    })
    expect(choice.byAccount.get(ACCOUNT)).toEqual({ source: 'previous-report', baseline: baseline(ACCOUNT, 'from-report') })
    expect(choice.accountNotes).toEqual(
      new Map([[ACCOUNT, ['the record in tracking issue #7 could not be read (two records): the previous report is the baseline']]])
    )
  })

  it('has no baseline for any account when the issues could not be listed, not even the previous report, and says why', () => {
    const { choice, read } = choose({
      accountIds: [ACCOUNT, OTHER_ACCOUNT],
      issues: null,
      issuesError: 'GET /repos/acme/infra/issues: 403 Resource not accessible by integration',
      previous: PREVIOUS
    })
    expect(choice.byAccount).toEqual(
      new Map([
        [ACCOUNT, null],
        [OTHER_ACCOUNT, null]
      ])
    )
    expect(read).toEqual([])
    expect(choice.notes).toEqual([
      'The tracking issues could not be read (GET /repos/acme/infra/issues: 403 Resource not accessible by integration): no baseline from them'
    ])
    expect(choice.accountNotes).toEqual(new Map())
  })
})

describe('chooseBaselines: create-issue off', () => {
  it('takes each account\'s baseline from the previous report; an account it did not have gets none', () => {
    const { choice, lines } = choose({ accountIds: [ACCOUNT, THIRD], previous: PREVIOUS })
    expect(choice.byAccount).toEqual(
      new Map([
        [ACCOUNT, { source: 'previous-report', baseline: baseline(ACCOUNT, 'from-report') }],
        [THIRD, null]
      ])
    )
    expect(choice.notes).toEqual([])
    expect(lines).toEqual([])
  })

  it('has no baseline without a previous report', () => {
    expect(choose({ accountIds: [ACCOUNT, OTHER_ACCOUNT] }).choice).toEqual({
      byAccount: new Map([
        [ACCOUNT, null],
        [OTHER_ACCOUNT, null]
      ]),
      notes: [],
      accountNotes: new Map()
    })
  })

  it('notes a previous report that could not be read, and has no baseline', () => {
    const note = 'previous-report last.json does not exist (yet): no baseline, so nothing is marked new or resolved'
    const { choice, lines } = choose({ previous: { ok: false, note } })
    expect(choice.byAccount).toEqual(new Map([[ACCOUNT, null]]))
    expect(choice.notes).toEqual([note])
    expect(lines).toEqual([`info ${note}`])
  })
})
