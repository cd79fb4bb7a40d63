import { describe, expect, it } from '@jest/globals'
import { isoSeconds, wholeDaysBetween } from '../../../src/core/dates.js'

const at = (iso: string) => new Date(iso)

describe('wholeDaysBetween', () => {
  it('is 0 for the same instant and for any two times of the same UTC day', () => {
    expect(wholeDaysBetween(at('2026-11-24T12:00:00Z'), at('2026-11-24T12:00:00Z'))).toBe(0)
    expect(wholeDaysBetween(at('2026-11-24T00:00:00.000Z'), at('2026-11-24T23:59:59.999Z'))).toBe(0)
  })

  it('counts calendar days, not 24-hour periods: 23:59 is one day old a minute after midnight', () => {
    expect(wholeDaysBetween(at('2026-11-23T23:59:00Z'), at('2026-11-24T00:01:00Z'))).toBe(1)
    expect(wholeDaysBetween(at('2026-11-23T23:59:59.999Z'), at('2026-11-24T00:00:00.000Z'))).toBe(1)
  })

  it('does not count a day until UTC midnight has passed', () => {
    expect(wholeDaysBetween(at('2026-11-23T00:00:00Z'), at('2026-11-23T23:59:59.999Z'))).toBe(0)
    expect(wholeDaysBetween(at('2026-11-23T00:00:00Z'), at('2026-11-24T00:00:00Z'))).toBe(1)
    expect(wholeDaysBetween(at('2026-11-23T00:01:00Z'), at('2026-11-24T23:59:00Z'))).toBe(1)
  })

  it('counts across months, a leap day and a year', () => {
    expect(wholeDaysBetween(at('2026-08-26T12:00:00Z'), at('2026-11-24T12:00:00Z'))).toBe(90)
    expect(wholeDaysBetween(at('2028-02-28T10:00:00Z'), at('2028-03-01T10:00:00Z'))).toBe(2)
    expect(wholeDaysBetween(at('2025-11-24T12:00:00Z'), at('2026-11-24T12:00:00Z'))).toBe(365)
    expect(wholeDaysBetween(at('2027-11-24T12:00:00Z'), at('2028-11-24T12:00:00Z'))).toBe(366)
  })

  it('uses the UTC calendar day, not the offset the date was written with', () => {
    // 01:00 at +02:00 is 23:00 UTC the day before.
    expect(wholeDaysBetween(at('2026-11-24T01:00:00+02:00'), at('2026-11-24T00:30:00Z'))).toBe(1)
    // 23:00 at -05:00 is 04:00 UTC the next day.
    expect(wholeDaysBetween(at('2026-11-23T23:00:00-05:00'), at('2026-11-24T05:00:00Z'))).toBe(0)
  })

  it('clamps dates in the future (clock skew) to 0', () => {
    expect(wholeDaysBetween(at('2026-11-25T00:00:00Z'), at('2026-11-24T23:59:59Z'))).toBe(0)
    expect(wholeDaysBetween(at('2027-01-01T00:00:00Z'), at('2026-11-24T12:00:00Z'))).toBe(0)
  })
})

describe('isoSeconds', () => {
  it('prints UTC without milliseconds, as AWS does', () => {
    expect(isoSeconds(at('2026-11-24T12:00:00Z'))).toBe('2026-11-24T12:00:00Z')
    expect(isoSeconds(at('2026-11-24T12:34:56.789Z'))).toBe('2026-11-24T12:34:56Z')
  })

  it('converts other offsets to UTC', () => {
    expect(isoSeconds(at('2026-11-24T01:02:03+02:00'))).toBe('2026-11-23T23:02:03Z')
  })

  it('does not round: 59.999 seconds stays in its second', () => {
    expect(isoSeconds(at('2026-12-31T23:59:59.999Z'))).toBe('2026-12-31T23:59:59Z')
  })
})
