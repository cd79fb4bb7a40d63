import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { readPreviousReport } from '../../../src/scan/previous-report.js'
import { readPreviousReport as fromAction } from '../../../src/action/baselines.js'
import { ACCOUNT, finding, makeReport } from '../helpers.js'

describe('readPreviousReport', () => {
  const dir = mkdtempSync(join(tmpdir(), 'previous-report-'))
  const file = (name: string, text: string) => {
    const path = join(dir, name)
    writeFileSync(path, text)
    return path
  }

  it('reads an earlier report as baselines, one per account scanned to the end', async () => {
    const path = file('report.json', JSON.stringify(makeReport({ findings: [finding({ userName: 'old-alice' })] })))
    const read = await readPreviousReport(path)
    if (!read.ok) throw new Error(read.note)
    expect(read.baselines.generatedAt).toBe('2026-11-24T12:00:00Z')
    expect(read.baselines.baselines.get(ACCOUNT)?.keys).toEqual([
      expect.objectContaining({ userName: 'old-alice', kind: 'stale', firstSeenAt: '2026-11-24' })
    ])
  })

  it('says a missing file does not exist (yet), naming the input', async () => {
    expect(await readPreviousReport(join(dir, 'nope.json'))).toEqual({
      ok: false,
      note: `previous-report ${join(dir, 'nope.json')} does not exist (yet): no baseline, so nothing is marked new or resolved`
    })
  })

  it('says a file that cannot be read, or read as a report, is no baseline', async () => {
    // (Under jest, fs errors come from another realm: errorMessage shows them as `Error: EISDIR…`.)
    expect(await readPreviousReport(dir)).toEqual({
      ok: false,
      note: expect.stringMatching(new RegExp(`^previous-report ${dir} could not be read \\((Error: )?EISDIR.*\\): no baseline$`))
    })
    const path = file('bad.json', '{"schemaVersion": 1, "generatedAt": "yesterday"}')
    expect(await readPreviousReport(path)).toEqual({
      ok: false,
      note: `previous-report ${path}: the previous report has no valid generatedAt ("yesterday"); no baseline, so nothing is marked new or resolved`
    })
  })

  it('reads through the given reader, and names the source as told (the CLI flag)', async () => {
    const reads: string[] = []
    const read = async (path: string) => {
      reads.push(path)
      if (path === 'there.json') return JSON.stringify(makeReport())
      throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' })
    }
    expect(await readPreviousReport('there.json', { read, label: '--baseline' })).toMatchObject({ ok: true })
    expect(await readPreviousReport('gone.json', { read, label: '--baseline' })).toEqual({
      ok: false,
      note: '--baseline gone.json does not exist (yet): no baseline, so nothing is marked new or resolved'
    })
    expect(reads).toEqual(['there.json', 'gone.json'])
  })

  it('is what the action reads its previous-report input with', () => {
    expect(fromAction).toBe(readPreviousReport)
  })
})
