/** `1 key`, `3 keys`, `2 accounts`: counts in messages, from the core up to the renderers. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`
}
