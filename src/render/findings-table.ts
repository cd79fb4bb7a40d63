import type { Finding } from '../model.js'
import { day, maskKeyId } from './text.js'

export interface TableOptions {
  maskKeyIds: boolean
  /** Bytes the table may take (UTF-8); rows past it are left out and counted. */
  maxBytes: number
}

export interface RenderedTable {
  markdown: string
  shown: number
  omitted: number
}

// Markdown table cells: no pipes, no line breaks, no HTML.
function cell(text: string): string {
  return text.replace(/[|\\`<>]/g, (c) => `\\${c}`).replace(/[\r\n]+/g, ' ')
}

function lastUsed(f: Finding): string {
  if (!f.lastUsedAt) return 'never'
  return f.lastUsedService ? `${day(f.lastUsedAt)} (${cell(f.lastUsedService)})` : day(f.lastUsedAt)
}

const HEADER = '| Kind | User | Access key | Status | Age (days) | Last used |\n|---|---|---|---|--:|---|\n'

export function findingRow(f: Finding, maskKeyIds: boolean): string {
  const key = maskKeyIds ? maskKeyId(f.accessKeyId) : (f.accessKeyId ?? '(root key, no id)')
  const kind = f.exempt ? `${f.kind} (exempt)` : f.kind
  return `| ${kind} | ${cell(f.userName)} | \`${key}\` | ${f.status} | ${f.ageDays} | ${lastUsed(f)} |\n`
}

/** The findings table, cut to a byte budget: GitHub drops or rejects oversized text whole. */
export function renderFindingsTable(findings: Finding[], options: TableOptions): RenderedTable {
  let markdown = HEADER
  let bytes = Buffer.byteLength(HEADER)
  let shown = 0
  for (const f of findings) {
    const row = findingRow(f, options.maskKeyIds)
    const size = Buffer.byteLength(row)
    if (bytes + size > options.maxBytes) break
    markdown += row
    bytes += size
    shown++
  }
  return { markdown, shown, omitted: findings.length - shown }
}
