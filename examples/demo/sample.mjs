// The demo's sample credential report with its dates moved to today, and the demo's flags:
// shared by run.mjs (`npm run demo`) and script/render-docs-images.ts (the README's pictures).
//
// Why the dates are moved: ages count to today, so a fixed file drifts (its 80-day-old
// "expiring" key would be stale ten days later). credential-report.csv is a real report written
// as of AS_OF; every date in it is moved forward by the whole days since AS_OF, so each user
// keeps its kind in 2030 as on the day it was written.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export const AS_OF = Date.UTC(2026, 10, 24) // 2026-11-24, the day the sample's dates describe
const DAY_MS = 86_400_000
export const SAMPLE = fileURLToPath(new URL('./credential-report.csv', import.meta.url))
export const DEMO_FLAGS = ['--max-key-age-days', '90', '--warn-key-age-days', '75', '--max-unused-days', '45', '--exempt-users', 'svc-*']

/** Every `2026-11-24T08:00:00+00:00` of the report, `days` later (same time of day). */
export function shiftDates(csv, days) {
  return csv.replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00/g, (iso) =>
    new Date(Date.parse(iso) + days * DAY_MS).toISOString().replace(/\.\d{3}Z$/, '+00:00')
  )
}

/** Whole UTC days from AS_OF to `now`'s UTC day. */
export function daysSinceAsOf(now) {
  return Math.floor((Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - AS_OF) / DAY_MS)
}

/** The sample's CSV, its dates moved so that `now` is to it what AS_OF was to the original. */
export function sampleAsOf(now) {
  return shiftDates(readFileSync(SAMPLE, 'utf8'), daysSinceAsOf(now))
}
