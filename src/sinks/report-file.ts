import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Report } from '../core/report.js'

/** Write the full report (every finding, full key ids) to a fresh folder under RUNNER_TEMP. */
export async function writeReportFile(report: Report, dir = process.env.RUNNER_TEMP || tmpdir()): Promise<string> {
  const folder = await mkdtemp(join(dir, 'iam-key-sentry-'))
  const file = join(folder, 'report.json')
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`, { mode: 0o600 })
  return file
}
