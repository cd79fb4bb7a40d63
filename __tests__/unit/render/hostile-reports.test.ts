// Every place text from AWS reaches a rendering: user names, key ids, exempt reasons, last-used
// services, account ids and names, notes and errors, in the job summary, the issue body and
// comment, and the SNS e-mail. A report full of hostile strings must render with exactly the
// markup of the same report with harmless strings, and show the hostile text as it is.
import { describe, expect, it } from '@jest/globals'
import { oneLine, unlinked } from '../../../src/render/escape.js'
import { closingComment, renderIssueBody } from '../../../src/render/issue-body.js'
import { buildSnsMessage } from '../../../src/render/sns-message.js'
import { renderSummary } from '../../../src/render/summary.js'
import type { Report } from '../../../src/core/report.js'
import { ACCOUNT, OTHER_ACCOUNT, accountScan, finding, makeReport } from '../helpers.js'
import { HOSTILE, activeParts, html, visibleText, withoutJoiner } from './hostile.js'

const THIRD = '333333333333'

/** A report of three accounts (one failed) with `text(i)` in every field that AWS fills. */
function reportWith(text: (i: number) => string, accounts = 3): Report {
  const findings = (accountId: string) =>
    HOSTILE.map((_, i) =>
      finding({
        accountId,
        userName: text(i),
        accessKeyId: i % 3 === 0 ? text(i) : 'AKIAIOSFODNN7EXAMPLE',
        lastUsedAt: '2026-11-01T00:00:00Z',
        lastUsedService: text(i + 1),
        exempt: i % 4 === 0,
        exemptReason: i % 4 === 0 ? `tag key-sentry:exempt ${text(i + 2)}` : null
      })
    )
  const scans = [
    accountScan({ accountId: ACCOUNT, name: text(3), findings: findings(ACCOUNT), notes: [`exempt tag not understood: ${text(4)}`] }),
    accountScan({ accountId: OTHER_ACCOUNT, name: text(5), findings: findings(OTHER_ACCOUNT), notes: [text(6)] })
  ].slice(0, Math.min(accounts, 2))
  const failures = accounts > 2 ? [{ accountId: THIRD, name: text(7), error: `sts:AssumeRole failed (${text(8)})` }] : []
  return makeReport({ scans, failures })
}

const hostile = (i: number) => HOSTILE[i % HOSTILE.length]
const harmless = (i: number) => `harmless${i}`

/**
 * The tags of rendered HTML, in order: the document's structure without its text. Code spans
 * left out: a key id that a code span cannot hold is shown as plain text instead.
 */
const tags = (rendered: string) => (rendered.match(/<\/?[a-z][a-z0-9]*/gi) ?? []).filter((t) => !/^<\/?code$/.test(t))

function expectInert(render: (report: Report) => string, accounts: number) {
  const rendered = html(render(reportWith(hostile, accounts)))
  const reference = html(render(reportWith(harmless, accounts)))
  // The same markup as with harmless text: no tag, link, table cell, heading, list or comment of its own.
  expect(tags(rendered)).toEqual(tags(reference))
  expect(rendered.split('<!--').length).toBe(reference.split('<!--').length)
  // Nothing that GitHub links in the text after Markdown: mention, issue reference, URL, e-mail.
  expect(activeParts(rendered).filter((p) => !['<strong>', '<em>', '<code>', 'heading', 'comment'].includes(p))).toEqual([])
  // And the reader sees every hostile string as it is.
  const seen = withoutJoiner(visibleText(rendered))
  for (const text of HOSTILE) expect(seen).toContain(oneLine(text).trim())
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

  it('in the tracking issue of an account id that is not an id', () => {
    for (const id of HOSTILE) {
      const report = makeReport({ scans: [accountScan({ accountId: id, findings: [finding({ accountId: id })] })] })
      const body = renderIssueBody(report, id, { maskKeyIds: true, runUrl: null })
      const rendered = html(body)
      // The marker stays one comment, whatever the id holds.
      expect(body.split('\n')[0]).toMatch(/^<!-- iam-key-sentry:account=[\w.%-]+ -->$/)
      expect(activeParts(rendered).filter((p) => !['<strong>', '<code>', 'heading', 'comment'].includes(p))).toEqual([])
      expect(activeParts(html(closingComment(report, id, null)))).toEqual([])
    }
  })

  it('in the SNS e-mail: every value on its own line, no line forged', () => {
    const report = reportWith(hostile)
    const email = JSON.parse(buildSnsMessage(report).message).email as string
    const lines = email.split('\n')
    const findingLines = lines.filter((l) => l.startsWith('- '))
    expect(findingLines).toHaveLength(report.findings.length)
    for (const f of report.findings) expect(email).toContain(unlinked(oneLine(f.userName)))
    // Mail clients link addresses, URLs and names: none survives (the joiner breaks each).
    expect(email).not.toMatch(/@[\w-]|:\/\/|www\.|#\d/)
    // and the text reads the same once the invisible joiner is taken out.
    for (const f of report.findings) expect(withoutJoiner(email)).toContain(oneLine(f.userName))
    // Lines only start as the e-mail starts them: a heading, an account, a finding, or empty.
    for (const line of lines) expect(line).toMatch(/^(|IAM Key Sentry: |Account \d{12}: |- |Policy: |[A-Z][a-z]+ [a-z ]+(\(\w+\))?: \d+$|\.\.\.and )/)
  })
})
