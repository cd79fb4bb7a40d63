import { describe, expect, it, jest } from '@jest/globals'
import { forAccount, heldLogger, prefixed, silentLogger } from '../../../src/core/logger.js'
import { recording } from '../helpers.js'

describe('forAccount', () => {
  it('starts every line, of every level, with the account id in brackets', () => {
    const { lines, log } = recording()
    const account = forAccount(log, '123456789012')

    account.info('credential report: 600 rows, 60 users to confirm with ListAccessKeys')
    account.warning('exemption tags could not be read')
    account.debug('credential report STARTED; polling again in 300 ms')

    expect(lines).toEqual([
      'info [123456789012] credential report: 600 rows, 60 users to confirm with ListAccessKeys',
      'warning [123456789012] exemption tags could not be read',
      'debug [123456789012] credential report STARTED; polling again in 300 ms'
    ])
  })

  it('prefixes once per wrapper: prefixed(log, p) writes p before the message as it is', () => {
    const { lines, log } = recording()
    prefixed(log, '#12: ').info('::stays data::')
    expect(lines).toEqual(['info #12: ::stays data::'])
  })
})

describe('heldLogger', () => {
  it('keeps lines until released, then writes them in order, at their level, and forgets them', () => {
    const { lines, log } = recording()
    const held = heldLogger()

    held.info('one')
    held.warning('two')
    held.debug('three')
    expect(lines).toEqual([])

    held.release(log)
    expect(lines).toEqual(['info one', 'warning two', 'debug three'])
    held.release(log)
    expect(lines).toHaveLength(3)
  })
})

describe('silentLogger', () => {
  it('writes nothing and throws nothing', () => {
    const spy = jest.spyOn(console, 'log')
    silentLogger.info('x')
    silentLogger.warning('x')
    silentLogger.debug('x')
    expect(spy).not.toHaveBeenCalled()
    spy.mockRestore()
  })
})

describe('heldLogger.quiet', () => {
  it('is true while only debug lines are kept', () => {
    const held = heldLogger()
    expect(held.quiet()).toBe(true)
    held.debug('could not be scanned')
    expect(held.quiet()).toBe(true)
    held.warning('exemption tags could not be read')
    expect(held.quiet()).toBe(false)
    held.release(silentLogger)
    expect(held.quiet()).toBe(true)
  })
})
