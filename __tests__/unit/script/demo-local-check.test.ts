// The local demo's own verdict (script/demo-local/check.ts): it must say ✗ whenever a user of the
// demo account does not show exactly what it was made to show, or the demo could look fine while
// the scan found nothing.
import { describe, expect, it } from '@jest/globals'
import type { DemoUser } from '../../../script/demo-local/account.js'
import { checkFindings } from '../../../script/demo-local/check.js'
import { finding, makeReport } from '../helpers.js'

const USERS: DemoUser[] = [
  { userName: 'old', keys: [{ ageDays: 200 }], expect: { kind: 'stale' } },
  { userName: 'kate', keys: [{ ageDays: 120 }], expect: { kind: 'stale', owners: ['@alice'] } },
  { userName: 'svc-backup', keys: [{ ageDays: 300 }], expect: { kind: 'stale', exempt: true } },
  { userName: 'fresh', keys: [{ ageDays: 10 }], expect: { kind: null } }
]

const RIGHT = [
  finding({ userName: 'old', kind: 'stale', owners: [] }),
  finding({ userName: 'kate', kind: 'stale', owners: ['@alice'] }),
  finding({ userName: 'svc-backup', kind: 'stale', exempt: true, owners: [] })
]

const check = (findings = RIGHT) => checkFindings(makeReport({ findings }), USERS)

describe('checkFindings', () => {
  it('ticks every user that shows what it should, the healthy one included', () => {
    expect(check()).toEqual({
      wrong: 0,
      lines: [
        '✓ old         stale',
        '✓ kate        stale, owners @alice',
        '✓ svc-backup  stale, exempt',
        '✓ fresh       healthy'
      ]
    })
  })

  it.each([
    ['a finding is missing', RIGHT.slice(1), '✗ old         healthy  (expected: stale)'],
    ['the kind differs', [finding({ userName: 'old', kind: 'unused', owners: [] }), ...RIGHT.slice(1)], '✗ old         unused  (expected: stale)'],
    ['the owner is missing', [RIGHT[0], finding({ userName: 'kate', kind: 'stale', owners: [] }), RIGHT[2]], '✗ kate        stale  (expected: stale, owners @alice)'],
    ['the exemption is missing', [...RIGHT.slice(0, 2), finding({ userName: 'svc-backup', kind: 'stale', owners: [] })], '✗ svc-backup  stale  (expected: stale, exempt)'],
    ['the healthy user has a finding', [...RIGHT, finding({ userName: 'fresh', kind: 'expiring', owners: [] })], '✗ fresh       expiring  (expected: healthy)'],
    ['a user has two findings', [...RIGHT, finding({ userName: 'old', kind: 'inactive', owners: [] })], '✗ old         stale; inactive  (expected: stale)']
  ])('crosses the user when %s', (_, findings, line) => {
    const { lines, wrong } = check(findings)
    expect(wrong).toBe(1)
    expect(lines).toContain(line)
  })
})
