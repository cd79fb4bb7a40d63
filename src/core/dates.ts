const DAY_MS = 86_400_000

/** Midnight UTC of the date's UTC calendar day. */
function utcDay(date: Date): number {
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate())
}

/**
 * Whole UTC calendar days from `from` to `now`: a key created at 23:59 UTC is one day old
 * a minute after midnight. Negative when `from` is in the future (clock skew): clamp to 0.
 */
export function wholeDaysBetween(from: Date, now: Date): number {
  return Math.max(0, Math.round((utcDay(now) - utcDay(from)) / DAY_MS))
}

/** ISO 8601 in UTC without milliseconds, as AWS prints dates: 2026-11-24T12:00:00Z. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}
