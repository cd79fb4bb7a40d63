// Every place text from AWS reaches a rendering: user names, key ids, exempt reasons, last-used
// services, account ids and names, notes and errors, in the job summary, the issue body and
// comments (new findings, closing with the resolved keys), what changed since the last run, and
// the SNS e-mail. A report full of hostile strings must render with exactly the
// markup of the same report with harmless strings, and show the hostile text as it is.
import { describe, expect, it } from '@jest/globals'
import { oneLine, unlinked } from '../../../src/render/escape.js'
import { renderChanges } from '../../../src/render/changes.js'
import { closingComment, newFindingsComment, renderIssueBody } from '../../../src/render/issue-body.js'
import { buildSnsMessage } from '../../../src/render/sns-message.js'
import { renderSummary } from '../../../src/render/summary.js'
import { accountReport, type Report } from '../../../src/core/report.js'
import { mentionable, parseOwner } from '../../../src/core/owners.js'
import { renderTerminal } from '../../../src/cli/render.js'
import { ACCOUNT, OTHER_ACCOUNT, accountScan, finding, keyId, makeReport } from '../helpers.js'
import { HOSTILE, activeParts, html, isWorkflowCommand, visibleText, withoutJoiner } from './hostile.js'
import { resolvedKey, trackedReport, trackedScan } from './lifecycle-reports.js'

const THIRD = '333333333333'

/** Counted findings that are new since the last run: neither exempt (every 4th) nor every 3rd from the second. */
const isNew = (i: number) => i % 4 !== 0 && i % 3 !== 1

/**
 * A report of three accounts (one failed) with `text(i)` in every field that AWS fills, compared
 * with a baseline: some findings new, and one resolved key per string, its user and (every 3rd)
 * its key id from AWS. The run has a note that quotes AWS too.
 */
function reportWith(text: (i: number) => string, accounts = 3): Report {
  const findings = (accountId: string) =>
    HOSTILE.map((_, i) => ({
      ...finding({
        accountId,
        userName: text(i),
        accessKeyId: i % 3 === 0 ? text(i) : 'AKIAIOSFODNN7EXAMPLE',
        // Ages apart: the report's order (oldest first) is the same whatever the user names.
        ageDays: 300 - i,
        lastUsedAt: '2026-11-01T00:00:00Z',
        lastUsedService: text(i + 1),
        exempt: i % 4 === 0,
        exemptReason: i % 4 === 0 ? `tag key-sentry:exempt ${text(i + 2)}` : null
      }),
      firstSeenAt: i % 4 === 0 ? null : isNew(i) ? '2026-11-24' : '2026-10-01',
      new: isNew(i),
      overdueDays: 210 - i
    }))
  const resolved = HOSTILE.map((_, i) => resolvedKey({ userName: text(i), accessKeyId: i % 3 === 0 ? text(i) : keyId(i), daysOpen: i }))
  const scans = [
    trackedScan({ accountId: ACCOUNT, name: text(3), findings: findings(ACCOUNT), notes: [`exempt tag not understood: ${text(4)}`], resolved }),
    trackedScan({ accountId: OTHER_ACCOUNT, name: text(5), findings: findings(OTHER_ACCOUNT), notes: [text(6)], resolved })
  ].slice(0, Math.min(accounts, 2))
  const failures = accounts > 2 ? [{ accountId: THIRD, name: text(7), error: `sts:AssumeRole failed (${text(8)})` }] : []
  return trackedReport(scans, { failures, notes: [`the previous report could not be read: ${text(9)}`] })
}

const hostile = (i: number) => HOSTILE[i % HOSTILE.length]
const harmless = (i: number) => `harmless${i}`

/**
 * The tags of rendered HTML, in order: the document's structure without its text. Code spans
 * left out: a key id that a code span cannot hold is shown as plain text instead.
 */
const tags = (rendered: string) => (rendered.match(/<\/?[a-z][a-z0-9]*/gi) ?? []).filter((t) => !/^<\/?code$/.test(t))

function expectInert(render: (report: Report) => string, accounts: number, shown: readonly string[] = HOSTILE) {
  const rendered = html(render(reportWith(hostile, accounts)))
  const reference = html(render(reportWith(harmless, accounts)))
  // The report does reach the rendering: a harmless name shows.
  expect(visibleText(reference)).toContain('harmless1')
  // The same markup as with harmless text: no tag, link, table cell, heading, list or comment of its own.
  expect(tags(rendered)).toEqual(tags(reference))
  expect(rendered.split('<!--').length).toBe(reference.split('<!--').length)
  // Nothing that GitHub links in the text after Markdown: mention, issue reference, URL, e-mail.
  expect(activeParts(rendered).filter((p) => !['<strong>', '<em>', '<code>', 'heading', 'comment'].includes(p))).toEqual([])
  // And the reader sees every hostile string as it is.
  const seen = withoutJoiner(visibleText(rendered))
  for (const text of shown) expect(seen).toContain(oneLine(text).trim())
}

describe('hostile text from AWS renders as text', () => {
  it.each([1, 2, 3])('in the job summary (%i accounts)', (accounts) => {
    expectInert((r) => renderSummary(r, { maskKeyIds: false }), accounts)
  })

  it('in the job summary of one account that failed', () => {
    const failed = (text: (i: number) => string) => makeReport({ scans: [], failures: [{ accountId: ACCOUNT, error: text(0) }] })
    for (const text of HOSTILE) {
      const rendered = html(renderSummary(failed(() => text), { maskKeyIds: true }))
      expect(tags(rendered)).toEqual(tags(html(renderSummary(failed(harmless), { maskKeyIds: true }))))
      expect(activeParts(rendered).filter((p) => p !== '<strong>' && p !== 'heading')).toEqual([])
    }
  })

  it('in the tracking issue body', () => {
    expectInert((r) => renderIssueBody(r, ACCOUNT, { maskKeyIds: false, runUrl: null }), 1)
  })

  it.each([1, 2, 3])('in what changed since the last run (%i accounts)', (accounts) => {
    expectInert((r) => renderChanges(r, { maskKeyIds: false, maxBytes: 1_000_000 }).markdown, accounts)
  })

  it('in the tracking issue body with its state record', () => {
    const state = '<!-- iam-key-sentry:state v1 part=1/1 bytes=3 crc=0a1b2c3d 一丁丂 -->'
    expectInert((r) => renderIssueBody(accountReport(r, ACCOUNT), ACCOUNT, { maskKeyIds: false, runUrl: null, state }), 2)
  })

  it('in the comment on new findings: the new ones shown as they are', () => {
    const newNames = HOSTILE.filter((_, i) => isNew(i))
    expectInert((r) => newFindingsComment(r, ACCOUNT, { maskKeyIds: false, runUrl: null })!, 2, newNames)
    expectInert((r) => newFindingsComment(accountReport(r, OTHER_ACCOUNT), OTHER_ACCOUNT, { maskKeyIds: true, runUrl: null })!, 2, newNames)
  })

  it('in the closing comment that lists the resolved keys', () => {
    // The account is clean: its findings gone, its resolved keys listed.
    const clean = (r: Report): Report => ({ ...accountReport(r, ACCOUNT), findings: [] })
    expectInert((r) => closingComment(clean(r), ACCOUNT, null, { maskKeyIds: false }), 2)
    expectInert((r) => closingComment(clean(r), ACCOUNT, null), 1)
  })

  it('in the tracking issue of an account id that is not an id', () => {
    for (const id of HOSTILE) {
      const report = makeReport({ scans: [accountScan({ accountId: id, findings: [finding({ accountId: id })] })] })
      const body = renderIssueBody(report, id, { maskKeyIds: true, runUrl: null })
      const rendered = html(body)
      // The marker stays one comment, whatever the id holds.
      expect(body.split('\n')[0]).toMatch(/^<!-- iam-key-sentry:account=[\w.%-]+ -->$/)
      expect(activeParts(rendered).filter((p) => !['<strong>', '<code>', 'heading', 'comment'].includes(p))).toEqual([])
      expect(activeParts(html(closingComment(report, id, null)))).toEqual([])
      // With resolved keys and a new finding, in the account that is not an id.
      const tracked = trackedReport([
        trackedScan({ accountId: id, findings: [{ ...finding({ accountId: id }), new: true, firstSeenAt: '2026-11-24' }], resolved: [resolvedKey()] })
      ])
      const comments = [closingComment(tracked, id, null), newFindingsComment(tracked, id, { maskKeyIds: true, runUrl: null })!]
      for (const comment of comments) {
        expect(activeParts(html(comment)).filter((p) => !['<code>', 'heading'].includes(p))).toEqual([])
      }
    }
  })

  it('in the SNS e-mail: every value on its own line, no line forged', () => {
    const report = reportWith(hostile)
    const email = JSON.parse(buildSnsMessage(report).message).email as string
    const lines = email.split('\n')
    const findingLines = lines.filter((l) => l.startsWith('- '))
    // Each finding once in its group, then again each new one (all 36 fit) and the first 50 resolved
    // keys in "what changed" at the top: any other line that starts "- " would be forged.
    const newFindings = report.findings.filter((f) => f.new === true)
    expect(newFindings).toHaveLength(36)
    expect(report.resolved).toHaveLength(74)
    expect(findingLines).toHaveLength(report.findings.length + newFindings.length + 50)
    // What changed comes first, each section headed by its count.
    const changes = lines.slice(0, lines.indexOf(`Account ${THIRD}: SCAN FAILED: ${unlinked(oneLine(`sts:AssumeRole failed (${hostile(8)})`))}`))
    expect(changes.filter((l) => !l.startsWith('- '))).toEqual([
      'IAM Key Sentry: scan incomplete, 54 stale keys in 3 accounts.',
      '',
      'New since the last run: 36. Resolved since the last run: 74.',
      '',
      'New: 36',
      '',
      'Resolved: 74',
      '...and 24 more resolved keys.',
      ''
    ])
    expect(changes.filter((l) => l.startsWith('- '))).toHaveLength(36 + 50)
    for (const f of report.findings) expect(email).toContain(unlinked(oneLine(f.userName)))
    for (const r of report.resolved.slice(0, 50)) expect(email).toContain(unlinked(oneLine(r.userName)))
    // Mail clients link addresses, URLs and names: none survives (the joiner breaks each).
    expect(email).not.toMatch(/@[\w-]|:\/\/|www\.|#\d/)
    // and the text reads the same once the invisible joiner is taken out.
    for (const f of report.findings) expect(withoutJoiner(email)).toContain(oneLine(f.userName))
    // Lines only start as the e-mail starts them: a heading, an account, a finding, or empty.
    // (The empty alternative is anchored: unanchored, it would let any line through.) The group
    // headings are the e-mail's own, exactly.
    const headings = ['Stale keys: rotate them (high; CIS 1.14, IAM.3): 54', 'Exempt (listed, not counted): 20']
    for (const line of lines) {
      if (headings.includes(line)) continue
      expect(line).toMatch(
        /^($|IAM Key Sentry: |Account \d{12}: |- |Policy: |(New|Resolved): \d+$|New since the last run: \d+\. Resolved since the last run: \d+\.$|\.\.\.and )/
      )
    }
    expect(headings.map((h) => lines.filter((l) => l === h).length)).toEqual([1, 1])
  })
})

describe('hostile owners render as text; only logins and teams from the tag or the file are mentions', () => {
  // Owners that are no login or team: plain names (anything) and addresses, as an owner tag or
  // file may give them. Every 3rd finding also has a real login, every 4th a real team.
  const names = [...HOSTILE, '::error::boom', '##[error]boom', '<img src=x>', '[x](y)', 'User@Example.com'].filter((t) => !mentionable(parseOwner(t)))
  const owners = (text: (i: number) => string, i: number) => [
    text(i),
    ...(i % 3 === 0 ? ['@real-owner'] : []),
    ...(i % 4 === 0 ? ['@acme/real-team'] : [])
  ]
  /** One account, every finding with a hostile user name and owner; some exempt, some new. */
  function ownedReport(text: (i: number) => string): Report {
    return trackedReport([
      trackedScan({
        findings: names.map((_, i) => ({
          ...finding({ userName: HOSTILE[i % HOSTILE.length], accessKeyId: keyId(i), ageDays: 300 - i, exempt: i % 5 === 4 }),
          owners: owners(text, i),
          firstSeenAt: i % 5 === 4 ? null : '2026-11-24',
          new: i % 5 !== 4 && i % 2 === 0
        }))
      })
    ])
  }
  const hostileOwner = (i: number) => names[i % names.length]
  const harmlessOwner = (i: number) => `harmless owner ${i}`

  /** Mentions GitHub would notify: `@name` or `@org/team` in the rendered text outside code, not after a word joiner. */
  function mentions(markdown: string): string[] {
    const text = visibleText(html(markdown).replace(/<code>[\s\S]*?<\/code>/g, ' '))
    return [...text.matchAll(/(?<![\w\u2060`])@[A-Za-z0-9-]+(?:\/[\w.-]+)?/g)].map((m) => m[0])
  }

  function expectOwnersInert(render: (report: Report) => string, allowed: string[], shown: readonly string[] = names) {
    const rendered = html(render(ownedReport(hostileOwner)))
    const reference = html(render(ownedReport(harmlessOwner)))
    expect(visibleText(reference)).toContain('harmless owner 1')
    expect(tags(rendered)).toEqual(tags(reference))
    expect(new Set(mentions(render(ownedReport(hostileOwner))))).toEqual(new Set(allowed))
    const other = activeParts(rendered).filter((p) => !['<strong>', '<em>', '<code>', 'heading', 'comment', 'list', 'mention'].includes(p))
    expect(other).toEqual([])
    expect(rendered).not.toMatch(/<a[\s>]|<img|href=/)
    // Each owner reads as it was given (a name as core/owners.ts keeps it, an address in lower case).
    const seen = withoutJoiner(visibleText(rendered))
    for (const name of shown) expect(seen).toContain(parseOwner(name).value)
  }

  it('in the job summary: the owner line and the Owner column mention nobody', () => {
    const summary = (r: Report) => renderSummary(r, { maskKeyIds: true })
    expectOwnersInert(summary, [])
    expect(summary(ownedReport(hostileOwner))).toContain('\nOwners: ')
  })

  it('in the tracking issue: the Owners section mentions the real logins and teams, nothing else does', () => {
    const body = (r: Report) => renderIssueBody(r, ACCOUNT, { maskKeyIds: true, runUrl: null })
    expectOwnersInert(body, ['@real-owner', '@acme/real-team'])
    const text = body(ownedReport(hostileOwner))
    const section = text.slice(text.indexOf('### Owners'), text.indexOf('\n### ', text.indexOf('### Owners') + 1))
    expect(mentions(text.replace(section, ''))).toEqual([])
    // No line of the section is a list item or heading of the owner's making: one task per line.
    expect(section.split('\n').filter((l) => l !== '' && !l.startsWith('- [ ] ') && !l.startsWith('### ') && !l.startsWith('**Unowned'))).toEqual([])
  })

  it('in the comment on new findings: only the real owners of new keys are mentioned', () => {
    const fresh = names.filter((_, i) => i % 5 !== 4 && i % 2 === 0)
    expectOwnersInert((r) => newFindingsComment(r, ACCOUNT, { maskKeyIds: true, runUrl: null })!, ['@real-owner', '@acme/real-team'], fresh)
  })

  it('a user named @torvalds with an owner that is a name pings nobody anywhere', () => {
    const report = trackedReport([
      trackedScan({ findings: [{ ...finding({ userName: '@torvalds' }), owners: ['Team @torvalds <b>'], new: true, firstSeenAt: '2026-11-24' }] })
    ])
    for (const md of [
      renderSummary(report, { maskKeyIds: true }),
      renderIssueBody(report, ACCOUNT, { maskKeyIds: true, runUrl: null }),
      newFindingsComment(report, ACCOUNT, { maskKeyIds: true, runUrl: null })!,
      closingComment(report, ACCOUNT, null)
    ]) {
      expect(mentions(md)).toEqual([])
      // (The issue body's marker is its own comment.)
      expect(activeParts(html(md)).filter((p) => !['<strong>', '<code>', 'heading', 'list', 'comment'].includes(p))).toEqual([])
    }
  })

  it('in the CLI table: one line per finding, never a workflow command', () => {
    const out = renderTerminal(ownedReport(hostileOwner), { maskKeyIds: true, color: false })
    for (const line of out.split('\n')) expect(isWorkflowCommand(line)).toBe(false)
    expect(out).toContain('::error::boom')
  })
})
