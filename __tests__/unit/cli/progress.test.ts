import { describe, expect, it } from '@jest/globals'
import { Progress, type StatusStream } from '../../../src/cli/progress.js'
import { describeCall } from '../../../src/cli/iam-progress.js'
import { colorWanted } from '../../../src/cli/style.js'

function stream(isTTY: boolean): StatusStream & { text: () => string } {
  const chunks: string[] = []
  return { isTTY, columns: 40, write: (c: string) => chunks.push(c), text: () => chunks.join('') }
}

describe('Progress', () => {
  it('off a terminal, prints each phase once as a plain line, without counts', () => {
    const out = stream(false)
    const progress = new Progress(out)
    progress.status('Listing users…', '100')
    progress.status('Listing users…', '200')
    progress.status('Listing access keys…', '1 user')
    progress.status('Listing users…', '300') // another account's listing: already said
    progress.logger().warning('ListUserTags was denied')
    progress.stop()
    expect(out.text()).toBe('Listing users…\nListing access keys…\nwarning: ListUserTags was denied\n')
  })

  it('logs a message that quotes AWS on one line, never a workflow command', () => {
    const out = stream(false)
    const log = new Progress(out).logger()
    log.info('user eve\n::add-mask::hunter2')
    log.warning('::error::x ##[warning]y')
    expect(out.text()).toBe('user eve\\n::add-mask::hunter2\nwarning: \\::error::x ##\\[warning]y\n')
  })

  it('on a terminal, rewrites one status line with the count and the seconds, then clears it', () => {
    const out = stream(true)
    let now = 0
    const progress = new Progress(out, () => now)
    progress.status('Listing users…', '100')
    now = 3_000
    progress.status('Listing users…', '300')
    progress.line('warning: slow')
    progress.stop()
    const text = out.text()
    expect(text).toContain('\r\u001b[2K⠋ Listing users… 100 (0s)')
    expect(text).toContain('\r\u001b[2K⠙ Listing users… 300 (3s)')
    expect(text).toContain('\r\u001b[2Kwarning: slow\n')
    expect(text.endsWith('\r\u001b[2K')).toBe(true)
  })

  it('cuts the status line to the terminal width so it never wraps', () => {
    const out = stream(true)
    const progress = new Progress(out, () => 0)
    progress.status('x'.repeat(100))
    progress.stop()
    const drawn = out.text().split('\r\u001b[2K')[1]
    expect([...drawn]).toHaveLength(39)
  })
})

describe('describeCall', () => {
  it('names the phase of each IAM command and counts as they answer', () => {
    const counts = { users: 0, keyUsers: 0, lastUse: 0, tags: 0 }
    expect(describeCall('GenerateCredentialReportCommand', { State: 'STARTED' }, counts)).toEqual({
      phase: 'Generating the credential report…',
      detail: 'STARTED'
    })
    describeCall('ListUsersCommand', { Users: new Array(1000) }, counts)
    expect(describeCall('ListUsersCommand', { Users: new Array(200) }, counts)).toEqual({ phase: 'Listing users…', detail: '1200' })
    expect(describeCall('ListAccessKeysCommand', null, counts)).toEqual({ phase: 'Listing access keys…', detail: '0 users' })
    expect(describeCall('ListAccessKeysCommand', {}, counts)?.detail).toBe('1 user')
    expect(describeCall('GetAccountAuthorizationDetailsCommand', { UserDetailList: new Array(1000) }, counts)).toEqual({
      phase: 'Reading user tags…',
      detail: '1000 users'
    })
    expect(describeCall('GetCallerIdentityCommand', {}, counts)).toBeNull()
  })
})

describe('colorWanted', () => {
  it('is on for a terminal only, and off when NO_COLOR is set', () => {
    expect(colorWanted({ isTTY: true }, {})).toBe(true)
    expect(colorWanted({ isTTY: false }, {})).toBe(false)
    expect(colorWanted({}, {})).toBe(false)
    expect(colorWanted({ isTTY: true }, { NO_COLOR: '1' })).toBe(false)
    expect(colorWanted({ isTTY: true }, { NO_COLOR: '' })).toBe(true)
  })
})
