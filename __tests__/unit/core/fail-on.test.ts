import { describe, expect, it } from '@jest/globals'
import { failOnMessage } from '../../../src/core/fail-on.js'
import { finding, makeReport } from '../helpers.js'

describe('failOnMessage', () => {
  const findings = [
    finding({ kind: 'two-active-keys', userName: 'pair' }),
    finding({ kind: 'setup-key', userName: 'console' }),
    finding({ kind: 'root-key', accessKeyId: null, status: 'Inactive', userName: '<root_account>' })
  ]

  it('fails on the new kinds when asked, most severe first', () => {
    expect(failOnMessage(makeReport({ findings }), ['two-active-keys', 'setup-key'])).toBe(
      'Failing: 1 setup-key, 1 two-active-keys in 123456789012 (fail-on: two-active-keys,setup-key).'
    )
  })

  it('fails on an inactive root key under the default', () => {
    expect(failOnMessage(makeReport({ findings }), ['stale', 'root-key'])).toBe('Failing: 1 root-key in 123456789012 (fail-on: stale,root-key).')
  })

  it('passes when no finding is of the fail-on kinds', () => {
    expect(failOnMessage(makeReport({ findings: findings.slice(0, 2) }), ['stale', 'root-key'])).toBeNull()
  })
})
