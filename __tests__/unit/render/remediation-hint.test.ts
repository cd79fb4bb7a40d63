import { describe, expect, it } from '@jest/globals'
import { accountReport } from '../../../src/core/report.js'
import { renderIssueBody } from '../../../src/render/issue-body.js'
import { commandCell, remediationCommand } from '../../../src/render/remediation-hint.js'
import { ACCOUNT, finding, makeReport } from '../helpers.js'

const KEY = 'AKIA1234567890ABWXYZ'

describe('remediationCommand', () => {
  it('deactivates an active key and deletes an inactive one, by its full id', () => {
    expect(remediationCommand(finding({ accessKeyId: KEY }))).toBe(`/deactivate ${KEY}`)
    expect(remediationCommand(finding({ accessKeyId: KEY, kind: 'inactive', status: 'Inactive' }))).toBe(`/delete ${KEY}`)
    expect(commandCell(finding({ accessKeyId: KEY }))).toBe(`\`/deactivate ${KEY}\``)
  })

  it('offers none for a root key (never touched), an exempt key, or a key without an id', () => {
    expect(remediationCommand(finding({ kind: 'root-key', userName: '<root_account>', accessKeyId: null }))).toBeNull()
    expect(remediationCommand(finding({ accessKeyId: KEY, exempt: true, exemptReason: 'exempt-users svc-*' }))).toBeNull()
    expect(remediationCommand(finding({ accessKeyId: null }))).toBeNull()
    expect(commandCell(finding({ accessKeyId: null }))).toBe('—')
  })
})

describe('the issue body with remediation on', () => {
  const report = makeReport({ findings: [finding({ userName: 'old-alice', accessKeyId: KEY, ageDays: 200, owners: ['@alice'] })] })
  const account = accountReport(report, ACCOUNT)

  it('shows the command with the full id in the table and the owners list; everything else stays masked', () => {
    const body = renderIssueBody(account, ACCOUNT, { maskKeyIds: true, runUrl: null, commands: true })
    expect(body).toContain('| Command |')
    expect(body).toContain(`| \`/deactivate ${KEY}\` |`)
    expect(body).toContain(`- [ ] @alice — \`AKIA…WXYZ\`, stale, 200 days, user old-alice — \`/deactivate ${KEY}\``)
    // The full id appears only inside the commands.
    expect(body.split(KEY).length - 1).toBe(2)
  })

  it('shows no command without remediation', () => {
    const body = renderIssueBody(account, ACCOUNT, { maskKeyIds: true, runUrl: null })
    expect(body).not.toContain('/deactivate')
    expect(body).not.toContain(KEY)
  })
})
