// What changed since the last run (DESIGN.md, Lifecycle v2): the findings new since the baseline
// and the baseline keys resolved since, shown first in the job summary and the tracking issue.
// Pure: the report says everything (Finding.new, report.resolved, the accounts' baselines).
import { medianDaysOpen, type ResolvedKey } from '../core/lifecycle.js'
import type { Finding } from '../core/model.js'
import { plural } from '../core/plural.js'
import type { Report } from '../core/report.js'
import { code, plain } from './escape.js'
import { overdueCell } from './findings-table.js'
import { cut, keyCell, kindLabel, maskKeyId } from './text.js'

export interface ChangesOptions {
  maskKeyIds: boolean
  /**
   * Bytes (UTF-8) the section may take. The two tables are cut to fit and say how many rows are
   * left out; the headings, counts and notes are always shown (a few hundred bytes).
   */
  maxBytes: number
  /** Markdown heading level of the two sections (3: `###`). */
  headingLevel?: number
}

export interface RenderedChanges {
  markdown: string
  /** Rows of the two tables left out to fit maxBytes. */
  omitted: number
}

export interface CutTable {
  /** The header and the rows that fit; empty when not even one row did. */
  markdown: string
  shown: number
  omitted: number
}

/** A table of `rows` (each ending in a line break) under `header`, cut to `maxBytes`. Empty when no row fits. */
export function cutTable(header: string, rows: readonly string[], maxBytes: number): CutTable {
  let markdown = header
  let bytes = Buffer.byteLength(header)
  let shown = 0
  for (const row of rows) {
    const size = Buffer.byteLength(row)
    if (bytes + size > maxBytes) break
    markdown += row
    bytes += size
    shown++
  }
  return shown === 0 ? { markdown: '', shown: 0, omitted: rows.length } : { markdown, shown, omitted: rows.length - shown }
}

/** A resolved key's id as the tables show it: masked or whole, or what stands for a missing id. */
export function resolvedKeyCell(r: ResolvedKey, maskKeyIds: boolean): string {
  if (!r.accessKeyId) return r.kind === 'root-key' || r.userName === '<root_account>' ? '(root key, no id)' : '(not in report)'
  return maskKeyIds ? maskKeyId(r.accessKeyId) : r.accessKeyId
}

export const NEW_HEADER = '| User | Access key | Kind | First seen | Overdue (days) |\n|---|---|---|---|--:|\n'
export const RESOLVED_HEADER = '| User | Access key | Kind it had | First seen | Days open | How |\n|---|---|---|---|--:|---|\n'

/** The same header with an Account column first. */
function withAccountColumn(header: string): string {
  const [names, rule] = header.split('\n')
  return `| Account ${names}\n|---${rule}\n`
}

/** One new finding: user, key, kind, first seen, overdue days. Every value from AWS escaped. */
export function newRow(f: Finding, maskKeyIds: boolean, withAccount = false): string {
  const account = withAccount ? `| ${plain(f.accountId)} ` : ''
  return `${account}| ${plain(f.userName)} | ${code(keyCell(f, maskKeyIds))} | ${kindLabel(f)} | ${plain(f.firstSeenAt ?? '')} | ${overdueCell(f)} |\n`
}

/** One resolved key: user, key, the kind it had, first seen, days open, how. */
export function resolvedRow(r: ResolvedKey, maskKeyIds: boolean, withAccount = false): string {
  const account = withAccount ? `| ${plain(r.accountId)} ` : ''
  return `${account}| ${plain(r.userName)} | ${code(resolvedKeyCell(r, maskKeyIds))} | ${r.kind} | ${plain(r.firstSeenAt)} | ${r.daysOpen} | ${r.how} |\n`
}

/** `12`, `12.5`: the median days open of resolved keys. */
export function medianLine(resolved: readonly ResolvedKey[]): string {
  const median = medianDaysOpen(resolved)
  return median === null ? '' : `Median days open: ${median}.`
}

export const NO_BASELINE =
  'There was no earlier record to compare with, so nothing is marked new or resolved; this run starts the record where a tracking issue is kept.'
export const NOTHING_CHANGED = 'Nothing new or resolved since the last run.'

const NOTE_MAX_CHARS = 1_000

/** The run's notes (a previous report that could not be read), as text. */
export function renderNotes(notes: readonly string[]): string {
  return notes.map((n) => `_Note:_ ${plain(cut(n, NOTE_MAX_CHARS))}\n\n`).join('')
}

const moreLine = (omitted: number, what: string) =>
  omitted > 0 ? `_${plural(omitted, `more ${what}`)} not shown; the JSON report (\`report-file\` output) lists them all._\n\n` : ''

/**
 * Split `budget` bytes between two tables that need `a` and `b` bytes whole: each gets what it
 * needs when both fit; otherwise the smaller, if it needs at most half, is whole and the other
 * gets the rest; otherwise half each.
 */
function split(budget: number, a: number, b: number): [number, number] {
  if (a + b <= budget) return [a, b]
  const half = Math.floor(budget / 2)
  if (a <= half) return [a, budget - a]
  if (b <= half) return [budget - b, b]
  return [half, budget - half]
}

/**
 * *New since the last run* and *Resolved since the last run*, then the run's notes. Without a
 * baseline, one line says there was none to compare with. With several accounts, the tables
 * have an Account column. When every counted finding is new (the first run of an account), the
 * new section says so in one line instead of listing the findings table below a second time.
 * Nothing (but the notes) when no account was scanned: a failed scan says nothing about changes.
 */
export function renderChanges(report: Report, options: ChangesOptions): RenderedChanges {
  const notes = renderNotes(report.notes)
  const scanned = report.accounts.filter((a) => a.error === null)
  if (scanned.length === 0) return { markdown: notes, omitted: 0 }
  if (report.totals.new === null) return { markdown: `${NO_BASELINE}\n\n${notes}`, omitted: 0 }

  const h = '#'.repeat(options.headingLevel ?? 3)
  const withAccount = report.accounts.length > 1
  const newFindings = report.findings.filter((f) => f.new === true)
  const resolved = report.resolved
  const counted = report.findings.filter((f) => !f.exempt).length
  const unknown = scanned.filter((a) => a.baseline === null).length
  const noRecord = unknown
    ? `${plural(unknown, 'account')} had no earlier record to compare with: nothing in ${unknown === 1 ? 'it' : 'them'} is marked new or resolved.\n\n`
    : ''
  if (newFindings.length === 0 && resolved.length === 0) {
    return { markdown: `${NOTHING_CHANGED}\n\n${noRecord}${notes}`, omitted: 0 }
  }

  const allNew = newFindings.length > 0 && newFindings.length === counted
  const newRows = allNew ? [] : newFindings.map((f) => newRow(f, options.maskKeyIds, withAccount))
  const resolvedRows = resolved.map((r) => resolvedRow(r, options.maskKeyIds, withAccount))
  const newHeader = withAccount ? withAccountColumn(NEW_HEADER) : NEW_HEADER
  const resolvedHeader = withAccount ? withAccountColumn(RESOLVED_HEADER) : RESOLVED_HEADER
  const newHeading = `${h} New since the last run: ${newFindings.length}\n\n`
  const allNewLine = allNew
    ? `${newFindings.length === 1 ? 'The finding below is new' : `All ${newFindings.length} findings below are new`}: the last run's record had none of them.\n\n`
    : ''
  const resolvedHeading = `${h} Resolved since the last run: ${resolved.length}\n\n`
  const median = resolved.length ? `${medianLine(resolved)}\n\n` : ''

  // Everything but the tables, with the longest "more not shown" lines (every row left out).
  const fixed =
    newHeading + allNewLine + moreLine(newRows.length, 'new finding') + resolvedHeading + moreLine(resolvedRows.length, 'resolved key') + median + noRecord + notes
  // Each table ends with a blank line (+1).
  const need = (header: string, rows: string[]) => (rows.length ? Buffer.byteLength(header) + rows.reduce((n, r) => n + Buffer.byteLength(r), 0) + 1 : 0)
  const budget = Math.max(0, options.maxBytes - Buffer.byteLength(fixed))
  const [newBudget, resolvedBudget] = split(budget, need(newHeader, newRows), need(resolvedHeader, resolvedRows))
  const newTable = cutTable(newHeader, newRows, newBudget - 1)
  const resolvedTable = cutTable(resolvedHeader, resolvedRows, resolvedBudget - 1)
  const table = (t: CutTable) => (t.markdown ? `${t.markdown}\n` : '')

  const markdown =
    newHeading +
    allNewLine +
    table(newTable) +
    moreLine(newTable.omitted, 'new finding') +
    resolvedHeading +
    table(resolvedTable) +
    moreLine(resolvedTable.omitted, 'resolved key') +
    median +
    noRecord +
    notes
  return { markdown, omitted: newTable.omitted + resolvedTable.omitted }
}
