// Owners (DESIGN.md, Owners v2) as the renderings show them. Pure: a finding's `owners` are
// canonical texts (`@login`, `@org/team`, `address@example.com`, or a plain name) and
// core/owners.ts parseOwner tells which. Only here are logins and teams written as mentions,
// and only the Owners section and the new-findings comment use that; every table, the
// job summary and the closing comment show owners inert. A plain name and an e-mail address
// are text like any from AWS: escaped, never a mention or a link.
import type { Finding } from '../core/model.js'
import { mentionable, ownerKey, parseOwner, type Owner } from '../core/owners.js'
import { plural } from '../core/plural.js'
import { code, plain } from './escape.js'
import { commandCell, remediationCommand } from './remediation-hint.js'
import { keyCell, kindLabel } from './text.js'

/** What a table shows for a finding with no owner. */
export const NO_OWNER = '—'

/** A finding's owners, each with its kind; [] when it has none (or is a v1 finding). */
export function findingOwners(f: Finding): Owner[] {
  const seen = new Set<string>()
  const owners: Owner[] = []
  for (const text of f.owners ?? []) {
    const owner = parseOwner(text)
    if (owner.value === '' || seen.has(ownerKey(owner))) continue
    seen.add(ownerKey(owner))
    owners.push(owner)
  }
  return owners
}

export const isOwned = (f: Finding): boolean => findingOwners(f).length > 0

/** Does any of `findings` have an owner? Renderings show owners only then: no column of dashes for a run without any. */
export function anyOwned(findings: readonly Finding[]): boolean {
  return findings.some(isOwned)
}

/**
 * An owner as text that notifies and links nobody: a login, team or address in a code span
 * (nothing in one is linked, and their syntax holds no backtick or pipe); a plain name escaped
 * like text from AWS.
 */
export function inertOwner(owner: Owner): string {
  return owner.kind === 'name' ? plain(owner.value) : `\`${owner.value}\``
}

/** A finding's owners for a table cell, inert; `—` when it has none. */
export function ownerCell(f: Finding): string {
  const owners = findingOwners(f)
  return owners.length ? owners.map(inertOwner).join(', ') : NO_OWNER
}

/**
 * An owner where it should reach them: a login or team as a mention (its `_`, which a team
 * slug may hold, escaped so that two slugs on a line never make emphasis; GitHub reads the
 * mention in the rendered text, where the escape is gone); an address or a name as escaped
 * text, never a mention or a `mailto:` link.
 */
export function mentionOwner(owner: Owner): string {
  return mentionable(owner) ? owner.value.replace(/_/g, '\\_') : plain(owner.value)
}

export interface OwnerCount {
  owner: Owner
  /** Counted findings (exempt ones left out) the owner has. */
  count: number
}

/** Order of owners: most keys first, then by name (ignoring case), so the order is the same every run. */
function byCount(a: OwnerCount, b: OwnerCount): number {
  if (a.count !== b.count) return b.count - a.count
  const x = a.owner.value.toLowerCase()
  const y = b.owner.value.toLowerCase()
  return x < y ? -1 : x > y ? 1 : 0
}

/** Each owner and their findings, most findings first; a finding with two owners is under each. */
export function groupByOwner(findings: readonly Finding[]): { owner: Owner; findings: Finding[] }[] {
  const groups = new Map<string, { owner: Owner; findings: Finding[] }>()
  for (const f of findings) {
    for (const owner of findingOwners(f)) {
      const key = ownerKey(owner)
      const group = groups.get(key) ?? { owner, findings: [] }
      group.findings.push(f)
      groups.set(key, group)
    }
  }
  return [...groups.values()].sort((a, b) => byCount({ owner: a.owner, count: a.findings.length }, { owner: b.owner, count: b.findings.length }))
}

/** Counted findings per owner (most first), and how many counted findings have no owner. */
export function ownerCounts(findings: readonly Finding[]): { owners: OwnerCount[]; unowned: number } {
  const counted = findings.filter((f) => !f.exempt)
  return {
    owners: groupByOwner(counted).map((g) => ({ owner: g.owner, count: g.findings.length })),
    unowned: counted.filter((f) => !isOwned(f)).length
  }
}

/** The job summary's line lists at most this many owners, then counts the rest. */
export const SUMMARY_MAX_OWNERS = 20

/**
 * One line that counts the counted findings per owner, inert (the summary mentions nobody):
 * `Owners: \`@alice\` 3 · \`@acme/platform\` 2 · 4 more owners · unowned 4.` Null when no
 * counted finding has an owner.
 */
export function ownersLine(findings: readonly Finding[], maxOwners = SUMMARY_MAX_OWNERS): string | null {
  const { owners, unowned } = ownerCounts(findings)
  if (owners.length === 0) return null
  const parts = owners.slice(0, maxOwners).map((o) => `${inertOwner(o.owner)} ${o.count}`)
  if (owners.length > maxOwners) parts.push(`… ${plural(owners.length - maxOwners, 'more owner')}`)
  if (unowned > 0) parts.push(`unowned ${unowned}`)
  return `Owners: ${parts.join(' · ')}.`
}

/** What a key is, after its owner on a task-list line: `` `AKIA…WXYZ`, stale, 212 days, user alice-cli ``. */
export function ownedKeyText(f: Finding, maskKeyIds: boolean): string {
  return `${code(keyCell(f, maskKeyIds))}, ${kindLabel(f)}, ${plural(f.ageDays, 'day')}, user ${plain(f.userName)}`
}

export interface OwnersSectionOptions {
  maskKeyIds: boolean
  /** Bytes (UTF-8) the section may take, its heading and the line that counts what is left out included. */
  maxBytes: number
  /** Markdown heading level (3: `###`). */
  headingLevel?: number
  /** Each line ends with the remediation command for its key (remediation: comment). */
  commands?: boolean
}

export interface RenderedOwners {
  /** The section, ending in a blank line; empty when no counted finding has an owner, or not even the heading fits. */
  markdown: string
  /** Task-list lines shown and left out (a key with two owners has two lines). */
  shown: number
  omitted: number
}

const moreKeys = (n: number) => `_…and ${plural(n, 'more key')}: the tables below and the JSON report list them all._\n\n`

/** The last item of an owner's list cut short. */
const moreInList = (n: number) => `- …and ${plural(n, 'more key')}\n`

type Block = { label: string; lines: string[] }

/** Each block with at most `caps[i]` of its lines, and a line that counts the rest of a block cut short. */
function capped(heading: string, blocks: readonly Block[], caps: readonly number[]): { markdown: string; shown: number } {
  let markdown = heading
  let shown = 0
  blocks.forEach((b, i) => {
    const kept = b.lines.slice(0, caps[i])
    const rest = b.lines.length - kept.length
    markdown += `${b.label}${kept.join('')}${rest > 0 ? moreInList(rest) : ''}\n`
    shown += kept.length
  })
  return { markdown, shown }
}

/**
 * The tracking issue's *Owners* section: for each owner (most keys first), a task-list line per
 * counted key, the owner mentioned when a login or team (`- [ ] @alice — \`AKIA…WXYZ\`, stale,
 * 212 days, user alice-cli`), then the *Unowned* keys. Cut to `maxBytes` so that every owner
 * keeps a share: each list is cut to the same number of lines, the most that fit, and ends with
 * `…and N more keys`. With too many owners for one line each, the lists that do not fit are
 * left out, in order. Either way a last line counts every line left out.
 */
export function renderOwnersSection(findings: readonly Finding[], options: OwnersSectionOptions): RenderedOwners {
  const counted = findings.filter((f) => !f.exempt)
  const hint = (f: Finding) => (options.commands && remediationCommand(f) ? ` — ${commandCell(f)}` : '')
  const groups = groupByOwner(counted)
  if (groups.length === 0) return { markdown: '', shown: 0, omitted: 0 }
  const unowned = counted.filter((f) => !isOwned(f))
  // Blocks in order: each owner's list, then the unowned list under its label.
  const blocks: Block[] = groups.map((g) => ({
    label: '',
    lines: g.findings.map((f) => `- [ ] ${mentionOwner(g.owner)} — ${ownedKeyText(f, options.maskKeyIds)}${hint(f)}\n`)
  }))
  if (unowned.length) {
    blocks.push({ label: `**Unowned: ${unowned.length}**\n\n`, lines: unowned.map((f) => `- [ ] ${ownedKeyText(f, options.maskKeyIds)}${hint(f)}\n`) })
  }
  const total = blocks.reduce((n, b) => n + b.lines.length, 0)
  const heading = `${'#'.repeat(options.headingLevel ?? 3)} Owners\n\n`
  const all = (cap: number) => blocks.map(() => cap)
  const longest = Math.max(...blocks.map((b) => b.lines.length))
  const whole = capped(heading, blocks, all(longest)).markdown
  if (Buffer.byteLength(whole) <= options.maxBytes) return { markdown: whole, shown: total, omitted: 0 }

  // The same number of lines for every list, the most that fit (a binary search: fewer lines
  // never take more bytes); then one more line for the first lists while there is room.
  const fits = (caps: readonly number[]) => {
    const r = capped(heading, blocks, caps)
    return Buffer.byteLength(r.markdown) + Buffer.byteLength(moreKeys(total - r.shown)) <= options.maxBytes ? r : null
  }
  let best = fits(all(1))
  if (best) {
    let [low, high] = [1, longest]
    while (low < high) {
      const mid = Math.ceil((low + high) / 2)
      const r = fits(all(mid))
      if (r) {
        best = r
        low = mid
      } else high = mid - 1
    }
    const caps = all(low)
    for (let i = 0; i < blocks.length; i++) {
      if (blocks[i].lines.length <= low) continue
      caps[i] = low + 1
      const r = fits(caps)
      if (!r) {
        caps[i] = low
        break
      }
      best = r
    }
    return { markdown: best.markdown + moreKeys(total - best.shown), shown: best.shown, omitted: total - best.shown }
  }

  // Not even a line per list: the lists in order, each cut, until the room runs out.
  let left = options.maxBytes - Buffer.byteLength(heading) - Buffer.byteLength(moreKeys(total))
  if (left < 0) return { markdown: '', shown: 0, omitted: total }
  let markdown = heading
  let shown = 0
  for (const block of blocks) {
    let list = ''
    let listed = 0
    // The label and the list's closing blank line come with its first line.
    let overhead = Buffer.byteLength(block.label) + 1
    for (const line of block.lines) {
      const size = Buffer.byteLength(line) + overhead
      if (size > left) break
      list += line
      left -= size
      overhead = 0
      listed++
    }
    if (listed > 0) markdown += `${block.label}${list}\n`
    shown += listed
    if (listed < block.lines.length) break
  }
  return { markdown: markdown + (total > shown ? moreKeys(total - shown) : ''), shown, omitted: total - shown }
}
