// The demo checks its own result: each user of the demo account against what it was made to show,
// so a run that quietly found nothing (or the wrong thing) says so instead of looking fine.
import type { Finding } from '../../src/core/model.js'
import type { Report } from '../../src/core/report.js'
import type { DemoUser, Expected } from './account.js'

function describe(found: Expected): string {
  if (found.kind === null) return 'healthy'
  const extras = [found.exempt ? 'exempt' : '', found.owners?.length ? `owners ${found.owners.join(' ')}` : '']
  return [found.kind, ...extras.filter(Boolean)].join(', ')
}

/** One user's findings, as the demo states expectations: at most one finding, with its exemption and owners. */
function observed(findings: Finding[]): Expected | Expected[] {
  const seen = findings.map((f) => ({ kind: f.kind, exempt: f.exempt, owners: f.owners ?? [] }))
  if (seen.length === 0) return { kind: null }
  return seen.length === 1 ? seen[0] : seen
}

/** A line per user (`✓ ci-bot  unused`), and how many users did not show what they should. */
export function checkFindings(report: Report, users: readonly DemoUser[]): { lines: string[]; wrong: number } {
  const width = Math.max(...users.map((u) => u.userName.length))
  let wrong = 0
  const lines = users.map((user) => {
    const found = observed(report.findings.filter((f) => f.userName === user.userName))
    const expected = { kind: user.expect.kind, exempt: user.expect.exempt ?? false, owners: user.expect.owners ?? [] }
    const ok = !Array.isArray(found) && (found.kind === null ? expected.kind === null : JSON.stringify(found) === JSON.stringify(expected))
    const text = Array.isArray(found) ? found.map(describe).join('; ') : describe(found)
    if (!ok) wrong++
    return `${ok ? '✓' : '✗'} ${user.userName.padEnd(width)}  ${text}${ok ? '' : `  (expected: ${describe(expected)})`}`
  })
  return { lines, wrong }
}
