// Owners (DESIGN.md, Owners v2): who must rotate a finding's key, from the user's owner tag or
// the owners file. Pure: the tag is read by scan/, the file by action/owners-file.ts and parsed by
// core/owners-file.ts.
import { Minimatch } from 'minimatch'
import type { Finding } from './model.js'
import { isRootFinding } from './policy.js'

/**
 * One owner. `value` is its canonical text: a login `@alice`, a team `@acme/platform`, an
 * e-mail address `alice@example.com`, or, for anything else, the plain text as written (with
 * control characters taken out). Only logins and teams are ever mentioned; a name is text from
 * AWS or the file, which renderers must escape like any other.
 */
export type Owner = { kind: 'login' | 'team' | 'email' | 'name'; value: string }

export interface OwnerRule {
  /** User-name globs, matched without regard to case; `<root>` names the root user. */
  users: string[]
  /** 12-digit account ids; null: every account. */
  accounts: string[] | null
  owners: Owner[]
  /** The rule's 1-based line in the file, for messages. */
  line: number
}

export type ParsedOwnersFile = { ok: true; rules: OwnerRule[]; notes: string[] } | { ok: false; errors: string[] }

/** The root user in a rule's `users`. Globs never match root: its keys are owned only when a rule says so. */
export const ROOT_USER = '<root>'

// A tracking issue assigns at most 10 people and a mention list longer than this is noise; the
// tag truncates with a note (it is data in AWS), the file refuses (its author can fix it).
export const MAX_OWNERS = 20
export const MAX_RULES = 1000
export const MAX_USERS_PER_RULE = 100
export const MAX_ACCOUNTS_PER_RULE = 1000
// A name longer than this is cut: it is shown in tables and mail, and no real name needs more.
const MAX_NAME_LENGTH = 100
// A file with a broken pattern repeated a thousand times should not flood the log.
export const MAX_ERRORS = 50

// GitHub's login syntax: 1–39 alphanumerics or single hyphens, no hyphen at either end.
const LOGIN = '[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}'
const LOGIN_RE = new RegExp(`^@(${LOGIN})$`)
const TEAM_RE = new RegExp(`^@(${LOGIN})/([A-Za-z0-9][A-Za-z0-9._-]{0,99})$`)
// Deliberately simpler than RFC 5322: no quotes, spaces, brackets or comments, so an address
// is never markup and can go into an SNS message attribute as it is.
const EMAIL_RE = /^[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/
// Spaces, commas and control characters separate owners in a tag; a file item is split the same way.
const SEPARATORS = /[\s,\p{Cc}]+/u
export const ACCOUNT_ID = /^\d{12}$/

/** Text quoted for a message: JSON-escaped (no line breaks survive) and cut to a readable length. */
export function quote(text: string): string {
  const cut = text.length > 80 ? `${text.slice(0, 79)}…` : text
  return JSON.stringify(cut).replace(/[\u0080-\u009f\u2028\u2029\p{Cf}]/gu, (c) =>
    Array.from({ length: c.length }, (_, i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`).join('')
  )
}

export function notAnOwner(text: string): string {
  return `${quote(text)} is not a GitHub login (@name), team (@org/team) or e-mail address: kept as a plain name`
}

/** The kind of one owner's text, already free of separators; anything unrecognised is a name. */
export function parseOwner(text: string): Owner {
  // Cleaned before it is classified: `@al\u200bice` is a name, and its stored text must read as
  // a name again (renderers and assignees classify the stored text), never as the login @alice.
  const t = cleaned(text)
  if (LOGIN_RE.test(t)) return { kind: 'login', value: t }
  if (TEAM_RE.test(t)) return { kind: 'team', value: t }
  // Domains are case-insensitive and mail systems treat the local part so in practice; one
  // spelling keeps SNS filter policies on the owners attribute predictable.
  if (t.length <= 254 && EMAIL_RE.test(t)) return { kind: 'email', value: t.toLowerCase() }
  return { kind: 'name', value: t.length > MAX_NAME_LENGTH ? `${t.slice(0, MAX_NAME_LENGTH - 1)}…` : t }
}

/** Invisible format characters out, white space and control characters as one space. */
function cleaned(text: string): string {
  return text
    .replace(/\p{Cf}/gu, '')
    .replace(/[\s\p{Cc}]+/gu, ' ')
    .trim()
}

/** The same owner however it was spelled: logins, teams and addresses ignore case. */
export function ownerKey(owner: Owner): string {
  return `${owner.kind}:${owner.value.toLowerCase()}`
}

/** Owners in order, without repeats (the first spelling is kept). */
function dedupe(owners: Owner[]): Owner[] {
  const seen = new Set<string>()
  return owners.filter((o) => {
    const key = ownerKey(o)
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

function namesNoted(owners: Owner[]): string[] {
  return [...new Set(owners.filter((o) => o.kind === 'name').map((o) => notAnOwner(o.value)))]
}

/**
 * The owner tag's value: owners separated by spaces or commas. A word that is not a login,
 * team or address is kept as a plain name (a person still reads it) and noted. Past
 * MAX_OWNERS the rest are left out, and noted.
 */
export function parseOwnerList(text: string): { owners: Owner[]; notes: string[] } {
  const all = dedupe(
    text
      .split(SEPARATORS)
      .filter((word) => word !== '')
      .map(parseOwner)
      .filter((o) => o.value !== '')
  )
  const owners = all.slice(0, MAX_OWNERS)
  const notes = namesNoted(owners)
  if (all.length > MAX_OWNERS) notes.push(`${all.length} owners listed: only the first ${MAX_OWNERS} are kept`)
  return { owners, notes }
}

/**
 * One item of a rule's owners list. It is usually one owner; `'@a, @b'` is read as two, like
 * the tag. An item with no login, team or address in it is one plain name (`Team Billing`),
 * not one name per word.
 */
export function parseOwnerItem(text: string): Owner[] {
  const words = text.split(SEPARATORS).filter((w) => w !== '')
  const owners = words.map(parseOwner)
  if (owners.every((o) => o.kind === 'name')) {
    const name = parseOwner(text)
    return name.value === '' ? [] : [name]
  }
  return owners
}

export function mentionable(owner: Owner): boolean {
  return owner.kind === 'login' || owner.kind === 'team'
}

/** The logins (without `@`), for assignees: teams cannot be assigned. */
export function githubLogins(owners: Owner[]): string[] {
  const logins = owners.filter((o) => o.kind === 'login').map((o) => o.value.slice(1))
  const seen = new Set<string>()
  return logins.filter((l) => !seen.has(l.toLowerCase()) && seen.add(l.toLowerCase()))
}

/** The e-mail addresses, for the SNS owners attribute. */
export function emailAddresses(owners: Owner[]): string[] {
  return [...new Set(owners.filter((o) => o.kind === 'email').map((o) => o.value))]
}

// ---- Whose finding ---------------------------------------------------------------------------

/** What ownersFor needs of a finding; `isRoot` comes from core/policy.ts isRootFinding. */
export interface OwnedKey {
  accountId: string
  userName: string
  isRoot: boolean
}

// Each glob compiled once: 5,000 findings against a large file would otherwise recompile every
// glob per finding.
const compiled = new Map<string, Minimatch>()
function globMatches(glob: string, userName: string): boolean {
  let m = compiled.get(glob)
  if (!m) {
    m = new Minimatch(glob, { nocase: true, dot: true })
    compiled.set(glob, m)
  }
  return m.match(userName)
}

export function ruleMatches(rule: OwnerRule, key: OwnedKey): boolean {
  if (rule.accounts && !rule.accounts.includes(key.accountId)) return false
  if (key.isRoot) return rule.users.some((u) => u.toLowerCase() === ROOT_USER)
  return rule.users.some((u) => u.toLowerCase() !== ROOT_USER && globMatches(u, key.userName))
}

/**
 * A finding's owners: the user's owner tag when it names anyone, else the last rule of the
 * file that matches (like CODEOWNERS, so a broad rule goes first and exceptions after it). The
 * root user has no tags: only a rule naming `<root>` gives it owners.
 */
export function ownersFor(
  key: OwnedKey,
  tagOwners: Owner[] | null,
  rules: OwnerRule[]
): { owners: Owner[]; source: 'tag' | 'file' | null } {
  if (!key.isRoot && tagOwners && tagOwners.length > 0) return { owners: tagOwners.slice(0, MAX_OWNERS), source: 'tag' }
  for (let i = rules.length - 1; i >= 0; i--) {
    if (ruleMatches(rules[i], key)) return { owners: rules[i].owners.slice(0, MAX_OWNERS), source: 'file' }
  }
  return { owners: [], source: null }
}

// ---- Owners of a scan's findings -------------------------------------------------------------

/** Where owners come from: the tag (null: not read) and the owners file's rules. */
export interface OwnerSetup {
  tagKey: string | null
  rules: OwnerRule[]
}

/**
 * Each finding with its owners (canonical texts), and a note per user whose owner tag had
 * something that is not a login, team or address, or too many owners: said in the summary and
 * as a log warning, never a reason to drop the finding's other owners.
 */
export function assignOwners(
  findings: Finding[],
  setup: OwnerSetup,
  tagValues: ReadonlyMap<string, string | undefined>
): { findings: Finding[]; notes: string[] } {
  const notes = new Map<string, string[]>()
  const parsed = new Map<string, Owner[] | null>()
  const tagOwners = (userName: string): Owner[] | null => {
    if (!setup.tagKey) return null
    if (parsed.has(userName)) return parsed.get(userName)!
    const value = tagValues.get(userName)
    let owners: Owner[] | null = null
    if (value !== undefined) {
      const list = parseOwnerList(value)
      owners = list.owners
      if (list.notes.length) notes.set(userName, list.notes)
    }
    parsed.set(userName, owners)
    return owners
  }
  // A user's keys share its owners: worked out once per user (and once for root).
  const byUser = new Map<string, string[]>()
  const owned = findings.map((f) => {
    const isRoot = isRootFinding(f)
    const id = `${isRoot ? 'root' : 'user'}:${f.accountId}:${f.userName}`
    let owners = byUser.get(id)
    if (!owners) {
      owners = ownersFor({ accountId: f.accountId, userName: f.userName, isRoot }, isRoot ? null : tagOwners(f.userName), setup.rules).owners.map((o) => o.value)
      byUser.set(id, owners)
    }
    return { ...f, owners }
  })
  const said = [...notes].map(([user, list]) => `user ${user}: owner tag ${setup.tagKey}: ${list.join('; ')}`)
  return { findings: owned, notes: said }
}

/** Counted findings (exempt left out) with no owner: the unowned-count output. */
export function unownedCount(findings: readonly Finding[]): number {
  return findings.filter((f) => !f.exempt && (f.owners ?? []).length === 0).length
}
