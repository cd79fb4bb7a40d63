import { describe, expect, it } from '@jest/globals'
import { cliFlag, INPUT_NAMES, readInput, readInputs } from '../../../src/action/input-spec.js'

describe('the inputs table', () => {
  it.each(INPUT_NAMES)("accepts the default of %s (an empty input)", (name) => {
    expect(readInput(name, () => '')).toHaveProperty('value')
  })

  it('offers as CLI flags only the inputs that need no runner (no SNS, tracking issue or OIDC)', () => {
    expect(INPUT_NAMES.filter((name) => !cliFlag(name))).toEqual([
      'sns-topic-arn',
      'notify-when',
      'security-hub',
      'role-to-assume',
      'role-session-name',
      'role-duration-seconds',
      'audience',
      'create-issue',
      'github-token',
      'issue-labels',
      'issue-assignees',
      'assign-owners',
      'remediation',
      'remediation-approvers',
      'remediation-quiet-days',
      'remediation-role-to-assume',
      'member-remediation-role-name'
    ])
  })

  it('reads the SNS topic region from its ARN, once', () => {
    expect(readInput('sns-topic-arn', () => 'arn:aws:sns:ap-southeast-2:123456789012:alerts')).toEqual({
      value: { arn: 'arn:aws:sns:ap-southeast-2:123456789012:alerts', region: 'ap-southeast-2' }
    })
  })

  it('keeps every problem, each named by its input, and the values of the inputs that were read', () => {
    const inputs: Record<string, string> = { 'max-key-age-days': 'x', 'mask-key-ids': 'maybe', 'max-concurrency': '4' }
    const { values, errors } = readInputs((name) => inputs[name] ?? '')
    expect(errors).toEqual([
      'max-key-age-days: "x" is not accepted; use a positive whole number of days (for example 90)',
      'mask-key-ids: "maybe" is not accepted; use true or false'
    ])
    expect(values).not.toHaveProperty('max-key-age-days')
    expect(values['max-concurrency']).toBe(4)
  })
})
