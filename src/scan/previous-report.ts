// An earlier run's report file, read as baselines: the action's previous-report input and the
// CLI's --baseline (--previous-report) both come here. The reading is the only I/O; what the
// file means is core/lifecycle.ts baselinesFromReportText.
import { readFile } from 'node:fs/promises'
import { errorMessage } from '../aws/errors.js'
import { baselinesFromReportText, type ReportBaselines } from '../core/lifecycle.js'

/** What the previous report gave: baselines, or why there are none. */
export type PreviousReport = { ok: true; baselines: Extract<ReportBaselines, { ok: true }> } | { ok: false; note: string }

export interface ReadPreviousReportOptions {
  /** How the notes name the file's source: `previous-report` (the input), `--baseline` (the CLI flag). */
  label?: string
  /** Reads the file as UTF-8 text; a missing file throws an error with code ENOENT. */
  read?: (path: string) => Promise<string>
}

/**
 * The previous report file, read. A file that is not there is no baseline, said in a note: the
 * first scheduled run that restores it from a cache has none yet. A file that cannot be read
 * as a report is no baseline either, never an empty one (that would make every finding new).
 */
export async function readPreviousReport(path: string, options: ReadPreviousReportOptions = {}): Promise<PreviousReport> {
  const label = options.label ?? 'previous-report'
  const read = options.read ?? ((file: string) => readFile(file, 'utf8'))
  let text: string
  try {
    text = await read(path)
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT'
    return {
      ok: false,
      note: missing
        ? `${label} ${path} does not exist (yet): no baseline, so nothing is marked new or resolved`
        : `${label} ${path} could not be read (${errorMessage(err)}): no baseline`
    }
  }
  const baselines = baselinesFromReportText(text)
  if (!baselines.ok) return { ok: false, note: `${label} ${path}: ${baselines.error}; no baseline, so nothing is marked new or resolved` }
  return { ok: true, baselines }
}
