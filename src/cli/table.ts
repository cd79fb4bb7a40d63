// Plain-text tables for a terminal: columns fitted to their content, styled after padding so
// escape codes never count toward a width.
import type { Styler } from './style.js'

export interface Column {
  header: string
  align?: 'left' | 'right'
}

/** Terminal columns a string takes: code points (`…` is one), which is right for this output. */
export function displayWidth(text: string): number {
  return [...text].length
}

function pad(text: string, width: number, align: Column['align']): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)))
  return align === 'right' ? fill + text : text + fill
}

/** Rows as lines, each indented; the header dimmed. Trailing spaces are trimmed. */
export function renderTable(columns: Column[], rows: string[][], style: Styler, indent = '  '): string[] {
  const widths = columns.map((c, i) => Math.max(displayWidth(c.header), ...rows.map((r) => displayWidth(r[i] ?? ''))))
  const line = (cells: string[]) =>
    (indent + cells.map((cell, i) => pad(cell, widths[i], columns[i].align)).join('  ')).trimEnd()
  return [style(line(columns.map((c) => c.header)), 'dim'), ...rows.map(line)]
}
