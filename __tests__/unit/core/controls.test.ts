import { describe, expect, it } from '@jest/globals'
import { CONTROL_TABLE, controlsFor } from '../../../src/core/controls.js'
import { FINDING_KINDS } from '../../../src/core/model.js'
import { buildReport } from '../../../src/core/report.js'
import { DEFAULT_POLICY, NOW, accountScan, finding } from '../helpers.js'

describe('controlsFor', () => {
  it('names the CIS AWS v3 recommendation and the Security Hub controls of each kind', () => {
    const policy = { ...DEFAULT_POLICY, maxUnusedDays: 45 }
    expect(Object.fromEntries(FINDING_KINDS.map((k) => [k, controlsFor(k, policy)]))).toEqual({
      'root-key': ['CIS 1.4', 'IAM.4'],
      stale: ['CIS 1.14', 'IAM.3'],
      unused: ['CIS 1.12', 'IAM.22'],
      'setup-key': ['CIS 1.11'],
      'two-active-keys': ['CIS 1.13'],
      expiring: [],
      inactive: []
    })
  })

  it('adds IAM.8 (90 days unused) to unused only when max-unused-days is 90 or more', () => {
    expect(controlsFor('unused', { maxUnusedDays: 89 })).toEqual(['CIS 1.12', 'IAM.22'])
    expect(controlsFor('unused', { maxUnusedDays: 90 })).toEqual(['CIS 1.12', 'IAM.22', 'IAM.8'])
    expect(controlsFor('unused', { maxUnusedDays: 365 })).toEqual(['CIS 1.12', 'IAM.22', 'IAM.8'])
  })

  it('has one table row per kind, in FINDING_KINDS order, with the Prowler check of each rule', () => {
    expect(CONTROL_TABLE.map((r) => r.kind)).toEqual([...FINDING_KINDS])
    expect(CONTROL_TABLE.map((r) => [r.kind, r.cisV5, r.cisV6, r.prowler])).toEqual([
      ['root-key', '1.3', '2.3', 'iam_no_root_access_key'],
      ['stale', '1.13', '2.13', 'iam_rotate_access_key_90_days'],
      ['unused', '1.11', '2.11', 'iam_user_accesskey_unused'],
      ['setup-key', '1.10', '2.10', 'iam_user_no_setup_initial_access_key'],
      ['two-active-keys', '1.12', '2.12', 'iam_user_two_active_access_key'],
      ['expiring', null, null, null],
      ['inactive', null, null, null]
    ])
  })
})

describe('buildReport', () => {
  it('gives every finding its controls: those evaluate set are kept, the others filled in from the kind and policy', () => {
    const policy = { ...DEFAULT_POLICY, maxUnusedDays: 120 }
    const report = buildReport({
      generatedAt: NOW,
      policy,
      scans: [
        accountScan({
          findings: [finding({ kind: 'unused', userName: 'u' }), finding({ kind: 'stale', userName: 's', controls: ['CIS 1.14'] }), finding({ kind: 'inactive', userName: 'i' })]
        })
      ]
    })
    expect(report.findings.map((f) => [f.kind, f.controls])).toEqual([
      ['stale', ['CIS 1.14']],
      ['unused', ['CIS 1.12', 'IAM.22', 'IAM.8']],
      ['inactive', []]
    ])
  })
})
