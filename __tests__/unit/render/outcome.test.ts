// The top of the job summary: why the step failed, and where the report was published.
import { describe, expect, it } from '@jest/globals'
import { renderOutcome } from '../../../src/render/outcome.js'
import { renderSummary, SUMMARY_MAX_BYTES } from '../../../src/render/summary.js'
import { ACCOUNT, OTHER_ACCOUNT, accountScan, finding, makeReport } from '../helpers.js'
import { HOSTILE, activeParts, html } from './hostile.js'

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:secops'

describe('renderOutcome', () => {
  const report = makeReport({
    findings: [finding({ kind: 'root-key', userName: '<root_account>', accessKeyId: null }), finding({}), finding({ userName: 'b' }), finding({ kind: 'inactive' })]
  })

  it('names the fail-on kinds the scan found, with their counts, most severe first', () => {
    expect(renderOutcome(report, { failOn: ['stale', 'root-key'] })).toBe(
      '**This step failed:**\n\n- fail-on stale,root-key: the scan found 1 root-key, 2 stale.\n\n'
    )
  })

  it('says nothing when no finding is of a fail-on kind and nothing was published', () => {
    expect(renderOutcome(report, { failOn: ['unused'] })).toBe('')
    expect(renderOutcome(report, { failOn: [] })).toBe('')
    // Exempt findings never fail the step.
    expect(renderOutcome(makeReport({ findings: [finding({ exempt: true })] }), { failOn: ['stale'] })).toBe('')
  })

  it('says when the report was published to SNS, with the message id', () => {
    expect(renderOutcome(report, { failOn: ['unused'], sns: { topicArn: TOPIC, messageId: '5e1f0c1a-2b3c-4d5e-8f90-a1b2c3d4e5f6' } })).toBe(
      `Published to SNS topic ${TOPIC} (message id \`5e1f0c1a-2b3c-4d5e-8f90-a1b2c3d4e5f6\`).\n\n`
    )
  })

  it('counts the accounts that could not be scanned, and lists the sinks that failed', () => {
    const incomplete = makeReport({
      scans: [accountScan({ findings: [finding({})] })],
      failures: [{ accountId: OTHER_ACCOUNT, error: 'sts:AssumeRole was denied' }, { accountId: '333333333333', error: 'denied' }]
    })
    expect(renderOutcome(incomplete, { failOn: ['stale'], problems: ['Security Hub: securityhub:BatchImportFindings was denied'] })).toBe(
      '**This step failed:**\n\n' +
        '- fail-on stale: the scan found 1 stale.\n' +
        '- 2 accounts could not be scanned (below).\n' +
        '- Security Hub: securityhub:BatchImportFindings was denied\n\n'
    )
    const none = makeReport({ scans: [], failures: [{ accountId: null, error: 'no credentials' }] })
    expect(renderOutcome(none, { failOn: ['stale'] })).toBe('**This step failed:**\n\n- the scan did not complete (below).\n\n')
  })

  it('tells at most 10 problems, each cut to 500 characters, and counts the rest', () => {
    const problems = Array.from({ length: 13 }, (_, i) => `problem ${i} ${'x'.repeat(1000)}`)
    const text = renderOutcome(report, { failOn: [], problems })
    const items = text.split('\n').filter((l) => l.startsWith('- '))
    expect(items).toHaveLength(11)
    expect(items[0]).toBe(`- problem 0 ${'x'.repeat(489)}…`)
    expect(items[10]).toBe("- 3 more problems: the step's error lists them all.")
  })

  it('keeps problems and the SNS values plain text, one line each', () => {
    for (const h of HOSTILE) {
      const text = renderOutcome(report, { failOn: [], problems: [h], sns: { topicArn: h, messageId: h } })
      expect(text.split('\n').filter((l) => l !== '')).toHaveLength(3)
      expect(activeParts(html(text)).filter((p) => !['<strong>', 'list', '<code>'].includes(p))).toEqual([])
    }
  })
})

describe('renderSummary with the outcome', () => {
  it('says it after the heading, before what changed and the accounts, within the byte budget', () => {
    const report = makeReport({ findings: [finding({})] })
    const md = renderSummary(report, { maskKeyIds: true, outcome: { failOn: ['stale'], sns: { topicArn: TOPIC, messageId: 'm-1' } } })
    expect(md.startsWith(
      `## IAM Key Sentry: 1 stale key in account ${ACCOUNT}\n\n**This step failed:**\n\n- fail-on stale: the scan found 1 stale.\n\n` +
        `Published to SNS topic ${TOPIC} (message id \`m-1\`).\n\nThere was no earlier record`
    )).toBe(true)
    const many = makeReport({ findings: Array.from({ length: 20_000 }, (_, i) => finding({ userName: `u${i}` })) })
    const problems = Array.from({ length: 10 }, () => 'y'.repeat(600))
    for (const maxBytes of [20_000, SUMMARY_MAX_BYTES]) {
      const cut = renderSummary(many, { maskKeyIds: true, maxBytes, outcome: { failOn: ['stale'], problems } })
      expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(maxBytes)
      expect(cut).toContain('- fail-on stale: the scan found 20000 stale.')
    }
  })

  it('is as it was without an outcome', () => {
    const report = makeReport({ findings: [finding({})] })
    expect(renderSummary(report, { maskKeyIds: true })).not.toContain('This step failed')
  })
})
