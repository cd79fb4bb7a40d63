// ANSI styling that is either on or off: the renderer stays pure and its tests need no TTY.
export type StyleName = 'bold' | 'dim' | 'red' | 'yellow' | 'cyan' | 'green' | 'magenta'

const CODES: Record<StyleName, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  magenta: [35, 39],
  cyan: [36, 39]
}

export type Styler = (text: string, ...styles: StyleName[]) => string

export function styler(enabled: boolean): Styler {
  if (!enabled) return (text) => text
  return (text, ...styles) =>
    styles.reduce((out, s) => `\u001b[${CODES[s][0]}m${out}\u001b[${CODES[s][1]}m`, text)
}

/** Colour on a terminal only, and never when NO_COLOR is set (https://no-color.org). */
export function colorWanted(stream: { isTTY?: boolean }, env: Record<string, string | undefined>): boolean {
  return Boolean(stream.isTTY) && !env.NO_COLOR
}
