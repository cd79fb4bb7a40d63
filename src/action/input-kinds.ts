// The kinds of input: each turns an input's text into a value, or says what is wrong with it and
// what is accepted. The input's name is put in front by the reader (input-spec.ts), so every
// problem names its input.

/** One input read: its value, or the problem (the text after "name: "). */
export type Parsed<T> = { value: T } | { problem: string }

/** Reads an input's text: trimmed, and the default when it was empty. */
export type InputParser<T> = (raw: string) => Parsed<T>

export function splitList(value: string): string[] {
  return value
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean)
}

export const quoted = (items: readonly string[]) => items.map((item) => `"${item}"`).join(', ')

export const refuse = (raw: string, accepted: string): { problem: string } => ({ problem: `"${raw}" is not accepted; ${accepted}` })

/** Empty turns the setting off (null); anything else is read by `parse`. */
export const optional =
  <T>(parse: InputParser<T>): InputParser<T | null> =>
  (raw) =>
    raw === '' ? { value: null } : parse(raw)

export const days: InputParser<number> = (raw) =>
  /^\d+$/.test(raw) && Number(raw) >= 1 && Number(raw) <= 36_500
    ? { value: Number(raw) }
    : refuse(raw, 'use a positive whole number of days (for example 90)')

export const wholeNumber =
  (min: number, max: number, unit?: string): InputParser<number> =>
  (raw) =>
    /^\d+$/.test(raw) && Number(raw) >= min && Number(raw) <= max
      ? { value: Number(raw) }
      : refuse(raw, `use a whole number ${unit ? `of ${unit} ` : ''}from ${min} to ${max}`)

export const bool: InputParser<boolean> = (raw) =>
  /^true$/i.test(raw) ? { value: true } : /^false$/i.test(raw) ? { value: false } : refuse(raw, 'use true or false')

export const oneOf =
  <T extends string>(allowed: readonly T[]): InputParser<T> =>
  (raw) =>
    (allowed as readonly string[]).includes(raw) ? { value: raw as T } : refuse(raw, `use one of ${allowed.join(', ')}`)

/** Any text the pattern matches. */
export const matching =
  (pattern: RegExp, accepted: string): InputParser<string> =>
  (raw) =>
    pattern.test(raw) ? { value: raw } : refuse(raw, accepted)

export const text: InputParser<string> = (raw) => ({ value: raw })

/** A list separated by commas or new lines; the problem names every item refused. */
export const listOf =
  (valid: (item: string) => boolean, accepted: string, tidy: (item: string) => string = (item) => item): InputParser<string[]> =>
  (raw) => {
    const items = splitList(raw).map(tidy)
    const bad = items.filter((item) => !valid(item))
    return bad.length ? { problem: `${quoted(bad)} is not accepted; ${accepted}` } : { value: items }
  }

/** A list of known words, or `none` alone for an empty list. */
export const wordsOrNone =
  <T extends string>(words: readonly T[], accepted: string): InputParser<T[]> =>
  (raw) => {
    const items = splitList(raw)
    if (items.length === 1 && items[0] === 'none') return { value: [] }
    const unknown = items.filter((item) => !(words as readonly string[]).includes(item))
    if (unknown.length || items.length === 0) return { problem: `${quoted(unknown) || 'empty'} is not accepted; ${accepted}` }
    return { value: items as T[] }
  }
