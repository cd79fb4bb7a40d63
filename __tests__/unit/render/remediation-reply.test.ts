import { describe, expect, it } from '@jest/globals'
import { notPermittedReply, remediationReply, REPLY_LIMITS, type KeyOutcome, type RemediationReplyInput } from '../../../src/render/remediation-reply.js'
import { ACCEPTED_SYNTAX, MAX_KEYS_PER_COMMENT, parseCommands } from '../../../src/core/remediation-commands.js'
import { oneLine } from '../../../src/render/escape.js'
import { ACCOUNT, keyId } from '../helpers.js'
import { HOSTILE, activeParts, html, visibleText, withoutJoiner } from './hostile.js'

const K1 = 'AKIAIOSFODNN7EXAMPLE'
const K2 = 'AKIAI44QH8DHBEXAMPLE'
const K3 = 'AKIAJ7Q3EXAMPLE4WXYZ'
const RUN = 'https://github.com/acme/infra/actions/runs/42'

function outcome(overrides: Partial<KeyOutcome> = {}): KeyOutcome {
  return {
    accessKeyId: K1,
    userName: 'svc_deploy',
    verb: 'deactivate',
    dryRun: false,
    result: 'done',
    before: 'Active',
    after: 'Inactive',
    lastUsedAt: '2026-10-01T08:00:00Z',
    lastUsedService: 'iam',
    reason: null,
    ...overrides
  }
}

const refusedQuiet = outcome({
  accessKeyId: K2,
  userName: 'ci-runner',
  result: 'refused',
  after: 'Active',
  lastUsedAt: '2026-12-02T08:00:00Z',
  lastUsedService: 's3',
  reason: 'used 1 day ago (2026-12-02, s3); add --force to deactivate it anyway (remediation-quiet-days is 7)'
})
const unchanged = outcome({
  accessKeyId: K3,
  userName: 'bob',
  result: 'unchanged',
  before: 'Inactive',
  after: 'Inactive',
  lastUsedAt: null,
  lastUsedService: null,
  reason: 'already inactive; never used'
})

const input = (overrides: Partial<RemediationReplyInput> = {}): RemediationReplyInput => ({
  requester: 'alice',
  accountId: ACCOUNT,
  outcomes: [outcome(), refusedQuiet, unchanged],
  errors: [],
  runUrl: RUN,
  ...overrides
})

/** The rendered table's rows (header left out), each a list of cells' visible text. */
function rows(markdown: string): string[][] {
  const rendered = html(markdown)
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(rendered)?.[1] ?? ''
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) => [...r[1].matchAll(/<td>([\s\S]*?)<\/td>/g)].map((c) => withoutJoiner(visibleText(c[1]))))
}

describe('remediationReply', () => {
  it('tells who asked, and each key: status before and after, last use, result', () => {
    const reply = remediationReply(input())
    expect(reply).toBe(
      [
        `**IAM Key Sentry** remediation, asked by \\@\u2060alice for account ${ACCOUNT} ([workflow run](${RUN})).`,
        '',
        '3 keys: 1 deactivated, 1 unchanged, 1 refused.',
        '',
        '| key | user | status | last used | result |',
        '|---|---|---|---|---|',
        `| \`${K1}\` | svc_deploy | Active → Inactive | 2026-10-01 (iam) | deactivated |`,
        `| \`${K2}\` | ci-runner | Active | 2026-12-02 (s3) | **refused** (/deactivate): used 1 day ago (2026-12-02, s3); add --force to deactivate it anyway (remediation-quiet-days is 7) |`,
        `| \`${K3}\` | bob | Inactive | never | unchanged: already inactive; never used |`,
        ''
      ].join('\n')
    )
    expect(rows(reply)).toEqual([
      [K1, 'svc_deploy', 'Active → Inactive', '2026-10-01 (iam)', 'deactivated'],
      [K2, 'ci-runner', 'Active', '2026-12-02 (s3)', `refused (/deactivate): ${refusedQuiet.reason}`],
      [K3, 'bob', 'Inactive', 'never', 'unchanged: already inactive; never used']
    ])
  })

  it('names who asked without mentioning them', () => {
    const rendered = html(remediationReply(input({ requester: 'octocat' })))
    expect(activeParts(rendered)).not.toContain('mention')
    expect(withoutJoiner(visibleText(rendered))).toContain('asked by @octocat for account')
  })

  it('links the workflow run when there is one', () => {
    expect(remediationReply(input({ runUrl: null }))).not.toContain('workflow run')
    expect(html(remediationReply(input())).match(/<a /g)).toHaveLength(1)
  })

  it('says each verb done in its own words', () => {
    const reply = remediationReply(
      input({
        outcomes: [
          outcome({ verb: 'reactivate', before: 'Inactive', after: 'Active' }),
          outcome({ accessKeyId: K2, verb: 'delete', before: 'Inactive', after: 'deleted' })
        ]
      })
    )
    expect(reply).toContain('2 keys: 1 reactivated, 1 deleted.')
    expect(rows(reply).map((r) => [r[2], r[4]])).toEqual([
      ['Inactive → Active', 'reactivated'],
      ['Inactive → deleted', 'deleted']
    ])
  })

  it('says a dry run changed nothing, and what would happen', () => {
    const dry = remediationReply(
      input({ outcomes: [outcome({ dryRun: true, result: 'would' }), { ...refusedQuiet, dryRun: true }] })
    )
    expect(dry).toContain('**Dry run: nothing was changed.** The table says what would happen.')
    expect(dry).toContain('2 keys: 1 would be deactivated, 1 refused.')
    expect(rows(dry)[0]).toEqual([K1, 'svc_deploy', 'Active → Inactive (dry run)', '2026-10-01 (iam)', 'would be deactivated'])
    // Dry run for some keys only (one command with --dry-run, another without).
    const mixed = remediationReply(input({ outcomes: [outcome(), outcome({ accessKeyId: K2, verb: 'delete', before: 'Inactive', after: 'deleted', dryRun: true, result: 'would' })] }))
    expect(mixed).toContain(`**Dry run for \`${K2}\`: nothing was changed for it.**`)
    expect(remediationReply(input())).not.toContain('Dry run')
  })

  it('says which keys were done and which not attempted when a call fails half-way', () => {
    const reply = remediationReply(
      input({
        outcomes: [
          outcome(),
          outcome({ accessKeyId: K2, result: 'failed', after: null, reason: 'Throttling: Rate exceeded' }),
          outcome({ accessKeyId: K3, result: 'not-attempted', after: 'Active', reason: 'an earlier key failed' })
        ]
      })
    )
    expect(reply).toContain(
      `A call to AWS failed for \`${K2}\`. Done before that: \`${K1}\`. Not attempted: \`${K3}\`. Nothing is retried: check the keys in AWS (or the rescanned issue) before you comment again.`
    )
    expect(reply).toContain('3 keys: 1 deactivated, 1 failed, 1 not attempted.')
    expect(rows(reply).map((r) => [r[2], r[4]])).toEqual([
      ['Active → Inactive', 'deactivated'],
      ['Active → unknown', 'failed (/deactivate): Throttling: Rate exceeded'],
      ['Active', 'not attempted: an earlier key failed']
    ])
    const first = remediationReply(input({ outcomes: [outcome({ result: 'failed', after: null, reason: 'AccessDenied' })] }))
    expect(first).toContain('Nothing was done before that.')
  })

  it('shows a key that was not found without a user or a last use', () => {
    const reply = remediationReply(
      input({
        outcomes: [
          outcome({ userName: null, before: null, after: null, lastUsedAt: null, lastUsedService: null, result: 'refused', reason: `not found in account ${ACCOUNT}` })
        ]
      })
    )
    expect(rows(reply)).toEqual([[K1, '—', 'not found', '—', `refused (/deactivate): not found in account ${ACCOUNT}`]])
  })

  it('lists parse errors with the accepted syntax, and says nothing was done', () => {
    const { errors } = parseCommands(`/deactivate AKIA…WXYZ\n/purge ${K1}`)
    const reply = remediationReply(input({ outcomes: [], errors }))
    expect(reply).toContain('**Nothing was done:** the comment has 2 errors, and a comment runs whole or not at all.')
    expect(reply).toContain(`- line 1: "AKIA…WXYZ" is a masked key id`)
    expect(reply).toContain(`\`\`\`text\n${ACCEPTED_SYNTAX}\n\`\`\``)
    const rendered = html(reply)
    expect(rendered.match(/<li>/g)).toHaveLength(2)
    // The syntax shows as code: `<key-id>` is no HTML tag.
    expect(visibleText(rendered)).toContain('/deactivate <key-id>… [--force] [--dry-run]')
  })

  it('lists at most as many errors as the parser does, and counts the rest', () => {
    const errors = Array.from({ length: 50 }, (_, i) => `line ${i + 1}: bad`)
    const reply = remediationReply(input({ outcomes: [], errors }))
    expect(html(reply).match(/<li>/g)).toHaveLength(21)
    expect(reply).toContain('- and 30 more errors')
  })

  it('is never a command itself: it does not start with a slash, and its lines are no command', () => {
    for (const reply of [
      remediationReply(input()),
      remediationReply(input({ outcomes: [], errors: parseCommands('/deactivate x').errors })),
      notPermittedReply({ requester: 'mallory', approvers: [] })
    ]) {
      expect(reply.startsWith('/')).toBe(false)
      expect(parseCommands(reply)).toEqual({ commands: [], errors: [] })
    }
  })

  it('says so when there is nothing to tell', () => {
    expect(remediationReply(input({ outcomes: [] }))).toContain('No command found: nothing was done.')
  })

  it(`cuts a reason to ${REPLY_LIMITS.reason} characters`, () => {
    const reply = remediationReply(input({ outcomes: [outcome({ result: 'failed', reason: 'x'.repeat(5000) })] }))
    expect(reply).toContain(`${'x'.repeat(REPLY_LIMITS.reason - 1)}…`)
    expect(reply).not.toContain('x'.repeat(REPLY_LIMITS.reason))
  })

  it('stays under 65,536 characters at its worst: 20 keys and every field long and escaped', () => {
    const worst = '@|<'.repeat(10_000)
    const reply = remediationReply({
      requester: worst,
      accountId: ACCOUNT,
      outcomes: Array.from({ length: MAX_KEYS_PER_COMMENT }, (_, i) =>
        outcome({ accessKeyId: keyId(i), userName: worst, lastUsedService: worst, result: 'refused', reason: worst })
      ),
      errors: Array.from({ length: 500 }, () => worst),
      runUrl: RUN
    })
    expect(reply.length).toBeLessThan(65_536)
  })
})

describe('remediationReply with hostile text from AWS', () => {
  const hostile = (i: number) => HOSTILE[i % HOSTILE.length]
  const harmless = (i: number) => `harmless${i}`

  /** One key per hostile string: its user, its last-used service and its reason, and a parse error quoting it. */
  const replyWith = (text: (i: number) => string, withErrors: boolean) =>
    remediationReply({
      requester: text(0),
      accountId: ACCOUNT,
      outcomes: HOSTILE.map((_, i) =>
        outcome({
          accessKeyId: keyId(i),
          userName: text(i),
          lastUsedService: text(i + 1),
          result: (['done', 'would', 'unchanged', 'refused', 'failed', 'not-attempted'] as const)[i % 6],
          dryRun: i % 6 === 1,
          reason: `because ${text(i + 2)}`
        })
      ),
      errors: withErrors ? HOSTILE.slice(0, 10).map((_, i) => `line ${i + 1}: unknown command ${JSON.stringify(text(i))}`) : [],
      runUrl: null
    })

  const tags = (rendered: string) => rendered.match(/<\/?[a-z][a-z0-9]*/gi) ?? []

  it.each([false, true])('renders with the markup of harmless text, and shows the text as it is (errors: %s)', (withErrors) => {
    const rendered = html(replyWith(hostile, withErrors))
    const reference = html(replyWith(harmless, withErrors))
    expect(visibleText(reference)).toContain('harmless1')
    expect(tags(rendered)).toEqual(tags(reference))
    // Only the reply's own markup: bold, the key ids' code spans, the error list and syntax block.
    expect(activeParts(rendered).filter((p) => !['<strong>', '<code>', 'list'].includes(p))).toEqual([])
    expect(activeParts(reference)).toEqual(activeParts(rendered))
    const seen = withoutJoiner(visibleText(rendered))
    for (const text of HOSTILE) expect(seen).toContain(oneLine(text).trim())
  })

  it('keeps each hostile string in its own cell: one row per key, five cells each', () => {
    const table = rows(replyWith(hostile, false))
    expect(table).toHaveLength(HOSTILE.length)
    for (const [i, cells] of table.entries()) {
      expect(cells).toHaveLength(5)
      expect(cells[1]).toBe(oneLine(HOSTILE[i]).trim())
      expect(cells[0]).toBe(keyId(i))
    }
  })

  it('shows the cells as text: no tag, link or mention inside any of them', () => {
    for (const text of HOSTILE) {
      const rendered = html(remediationReply(input({ requester: text, outcomes: [outcome({ userName: text, lastUsedService: text, result: 'refused', reason: text })], runUrl: null })))
      const cells = /<tbody>([\s\S]*?)<\/tbody>/.exec(rendered)![1]
      expect(cells.replace(/<\/?(tr|td|code|strong)>/g, '')).not.toMatch(/</)
      expect(activeParts(rendered).filter((p) => !['<strong>', '<code>'].includes(p))).toEqual([])
    }
  })
})

describe('notPermittedReply', () => {
  it('names the approvers as text, without mentioning them, and says nothing was done', () => {
    const reply = notPermittedReply({ requester: 'mallory', approvers: ['alice', '@bob'] })
    expect(reply).toBe(
      '**IAM Key Sentry** remediation: \\@\u2060mallory may not give remediation commands here, so nothing was done. Who may: the logins in `remediation-approvers` (`alice`, `bob`), and people with admin or maintain permission on this repository.\n'
    )
    expect(activeParts(html(reply)).filter((p) => !['<strong>', '<code>'].includes(p))).toEqual([])
  })

  it('says who may when no approvers are listed: admin or maintain permission', () => {
    expect(notPermittedReply({ requester: 'mallory', approvers: [] })).toContain(
      'Who may: people with admin or maintain permission on this repository (`remediation-approvers` is empty).'
    )
    expect(notPermittedReply({ requester: 'mallory', approvers: [' ', ''] })).toContain('admin or maintain')
  })

  it('lists a long list of approvers in part', () => {
    const reply = notPermittedReply({ requester: 'mallory', approvers: Array.from({ length: 100 }, (_, i) => `user${i}`) })
    expect(reply).toContain('`user29`, and 70 more), and people with admin or maintain permission')
    expect(reply).not.toContain('user30')
  })

  it('keeps a hostile requester or approver inert', () => {
    for (const text of HOSTILE) {
      const rendered = html(notPermittedReply({ requester: text, approvers: [text, 'alice'] }))
      expect(activeParts(rendered).filter((p) => !['<strong>', '<code>'].includes(p))).toEqual([])
      expect(withoutJoiner(visibleText(rendered))).toContain(oneLine(text).trim().replace(/^@/, ''))
    }
  })
})
