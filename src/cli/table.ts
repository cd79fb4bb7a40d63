// Plain-text tables for a terminal: columns fitted to their content, styled after padding so
// escape codes never count toward a width.
import type { StyleName, Styler } from './style.js'

export interface Column {
  header: string
  align?: 'left' | 'right'
  /** How the column's cells are styled (its header stays dim). */
  style?: StyleName[]
}

/** Terminal columns a string takes: code points (`…` is one), which is right for this output. */
export function displayWidth(text: string): number {
  return [...text].length
}

function pad(text: string, width: number, align: Column['align'], styled: string = text): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)))
  return align === 'right' ? fill + styled : styled + fill
}

/** Rows as lines, each indented; the header dimmed. Trailing spaces are trimmed. */
export function renderTable(columns: Column[], rows: string[][], style: Styler, indent = '  '): string[] {
  const widths = columns.map((c, i) => Math.max(displayWidth(c.header), ...rows.map((r) => displayWidth(r[i] ?? ''))))
  const line = (cells: string[], styled = false) =>
    (
      indent +
      cells
        .map((cell, i) => {
          const cellStyle = styled && cell ? columns[i].style : undefined
          return pad(cell, widths[i], columns[i].align, cellStyle ? style(cell, ...cellStyle) : cell)
        })
        .join('  ')
    ).trimEnd()
  return [style(line(columns.map((c) => c.header)), 'dim'), ...rows.map((r) => line(r, true))]
}
