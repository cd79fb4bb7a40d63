import { describe, expect, it } from '@jest/globals'
import { CIS_BENCHMARK, CONTROL_TABLE, cisRecommendation, controlsFor, requirementOf } from '../../../src/core/controls.js'
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

describe('CIS controls as Security Hub requirements', () => {
  it('names the benchmark and version the ids are numbered by', () => {
    expect(CIS_BENCHMARK).toBe('CIS AWS Foundations Benchmark v3.0.0')
    expect(requirementOf('CIS 1.14')).toBe('CIS AWS Foundations Benchmark v3.0.0/1.14')
    // Security Hub's own control ids stay as they are.
    expect(requirementOf('IAM.3')).toBe('IAM.3')
    expect(requirementOf('IAM.22')).toBe('IAM.22')
  })

  it('every CIS control a finding can carry becomes a versioned requirement, every other stays', () => {
    for (const kind of FINDING_KINDS) {
      for (const control of controlsFor(kind, { maxUnusedDays: 90 })) {
        const row = CONTROL_TABLE.find((r) => r.kind === kind)!
        expect(requirementOf(control)).toBe(control.startsWith('CIS') ? `${CIS_BENCHMARK}/${row.cisV3}` : control)
      }
    }
  })

  it('reads either form, whatever the case and spacing; nothing else is a CIS recommendation', () => {
    expect(cisRecommendation('CIS 1.4')).toBe('1.4')
    expect(cisRecommendation(' cis   1.4 ')).toBe('1.4')
    expect(cisRecommendation('CIS AWS Foundations Benchmark v3.0.0/1.14')).toBe('1.14')
    expect(requirementOf('CIS AWS Foundations Benchmark v3.0.0/1.14')).toBe('CIS AWS Foundations Benchmark v3.0.0/1.14')
    for (const other of ['IAM.3', 'CISCO.1', 'CIS', 'CIS benchmark', 'CIS 1', 'PCI 1.4', 'CIS AWS Foundations Benchmark v1.2.0/1.4']) {
      expect(cisRecommendation(other)).toBeNull()
      expect(requirementOf(other)).toBe(other)
    }
  })
})
