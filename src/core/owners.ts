// Owners (DESIGN.md, Owners v2): who must rotate a finding's key, from the user's owner tag or
// the owners file. Pure: the tag is read by scan/, the file by action/owners-file.ts.
import { Minimatch } from 'minimatch'
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml'
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
const MAX_ERRORS = 50

// GitHub's login syntax: 1–39 alphanumerics or single hyphens, no hyphen at either end.
const LOGIN = '[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}'
const LOGIN_RE = new RegExp(`^@(${LOGIN})$`)
const TEAM_RE = new RegExp(`^@(${LOGIN})/([A-Za-z0-9][A-Za-z0-9._-]{0,99})$`)
// Deliberately simpler than RFC 5322: no quotes, spaces, brackets or comments, so an address
// is never markup and can go into an SNS message attribute as it is.
const EMAIL_RE = /^[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/
// Spaces, commas and control characters separate owners in a tag; a file item is split the same way.
const SEPARATORS = /[\s,\p{Cc}]+/u
const ACCOUNT_ID = /^\d{12}$/

/** Text quoted for a message: JSON-escaped (no line breaks survive) and cut to a readable length. */
export function quote(text: string): string {
  const cut = text.length > 80 ? `${text.slice(0, 79)}…` : text
  return JSON.stringify(cut).replace(/[\u0080-\u009f\u2028\u2029\p{Cf}]/gu, (c) =>
    Array.from({ length: c.length }, (_, i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`).join('')
  )
}

function notAnOwner(text: string): string {
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
function parseOwnerItem(text: string): Owner[] {
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

// ---- The owners file -------------------------------------------------------------------------

const KEYS = ['users', 'accounts', 'owners']

type Context = { doc: Document; lines: LineCounter; fileName: string; text: string; errors: Array<{ line: number; text: string }>; notes: string[] }

function fail(ctx: Context, line: number, text: string): void {
  ctx.errors.push({ line, text: `${ctx.fileName} line ${line}: ${text}` })
}

function lineOf(ctx: Context, node: { range?: [number, number, number] | null } | null | undefined, fallback: number): number {
  return node?.range ? ctx.lines.linePos(node.range[0]).line : fallback
}

function resolved(ctx: Context, node: unknown): unknown {
  return isAlias(node) ? node.resolve(ctx.doc) : node
}

/** What a value is, in words, for a message. */
function whatIs(ctx: Context, node: unknown): string {
  const n = resolved(ctx, node)
  if (n === null || n === undefined) return 'empty'
  if (isSeq(n)) return 'a list'
  if (isMap(n)) return 'a mapping'
  if (isScalar(n)) {
    if (n.value === null) return 'empty'
    if (typeof n.value === 'string') return `the text ${quote(n.value)}`
    return `${typeof n.value === 'number' ? 'the number' : 'the value'} ${quote(String(n.value))}`
  }
  return 'not a value'
}

/**
 * A scalar as the text its author meant: strings as they are, and an unquoted number as it
 * was written, so an account id `012345678901` keeps its leading zero. Null for anything else.
 */
function scalarText(ctx: Context, node: unknown): string | null {
  const n = resolved(ctx, node)
  if (!isScalar(n)) return null
  if (typeof n.value === 'string') return n.value
  if (typeof n.value === 'number' && n.range) return ctx.text.slice(n.range[0], n.range[1]).trim()
  return null
}

/** A text of the file, with the line it is on. */
type Item = { text: string; line: number }

/**
 * A list of texts (a single scalar counts as a list of one). Errors say which item is wrong;
 * null when the value is not usable at all.
 */
function textList(ctx: Context, node: unknown, key: string, what: string, line: number): Item[] | null {
  const n = resolved(ctx, node)
  const at = lineOf(ctx, n as Node, line)
  const single = scalarText(ctx, n)
  if (single !== null) {
    if (single.trim() === '') {
      fail(ctx, at, `"${key}" must be a list of ${what}, not empty text`)
      return null
    }
    return [{ text: single.trim(), line: at }]
  }
  if (!isSeq(n) || n.items.length === 0) {
    const is = isSeq(n) ? 'an empty list' : whatIs(ctx, n)
    fail(ctx, at, `"${key}" must be a list of ${what}, not ${is}`)
    return null
  }
  const items: Item[] = []
  let ok = true
  n.items.forEach((item, i) => {
    const text = scalarText(ctx, item)
    const itemLine = lineOf(ctx, resolved(ctx, item) as Node, at)
    if (text === null || text.trim() === '') {
      const is = text === null ? whatIs(ctx, item) : 'empty text'
      fail(ctx, itemLine, `"${key}" must be a list of ${what}; item ${i + 1} is ${is}`)
      ok = false
    } else items.push({ text: text.trim(), line: itemLine })
  })
  return ok ? items : null
}

// What an IAM user name is made of; the rest of a glob's characters are its syntax.
const IAM_NAME_CHAR = /[A-Za-z0-9+=,.@_-]/
const GLOB_SYNTAX = /[*?[\]{}!^|()]/

/**
 * Whether a glob could match some IAM user name: every character it needs literally must be one
 * IAM allows (`svc billing*`, `team/svc` never match). `<root>` names the root user.
 */
function canMatchIamName(glob: string): boolean {
  if (glob.toLowerCase() === ROOT_USER) return true
  let inClass = false
  for (const ch of glob.replace(/\\(.)/g, '$1')) {
    if (ch === '[') inClass = true
    else if (ch === ']') inClass = false
    else if (!inClass && !GLOB_SYNTAX.test(ch) && !IAM_NAME_CHAR.test(ch)) return false
  }
  return true
}

function readRule(ctx: Context, node: unknown, index: number, fallbackLine: number): OwnerRule | null {
  const rule = resolved(ctx, node)
  const line = lineOf(ctx, rule as Node, fallbackLine)
  if (!isMap(rule)) {
    fail(ctx, line, `rule ${index + 1} must be a mapping with "users" and "owners", not ${whatIs(ctx, rule)}`)
    return null
  }
  const before = ctx.errors.length
  const values = new Map<string, { value: unknown; line: number }>()
  for (const pair of rule.items) {
    const key = scalarText(ctx, pair.key)
    const keyLine = lineOf(ctx, resolved(ctx, pair.key) as Node, line)
    if (key === null || !KEYS.includes(key)) {
      const shown = key === null ? whatIs(ctx, pair.key) : quote(key)
      fail(ctx, keyLine, `${shown} is not a key of a rule (users, accounts, owners)`)
      continue
    }
    values.set(key, { value: pair.value, line: keyLine })
  }

  let users: string[] | null = null
  const usersValue = values.get('users')
  if (!usersValue) fail(ctx, line, `rule ${index + 1} has no "users" (a list of user-name globs)`)
  else {
    const items = textList(ctx, usersValue.value, 'users', 'user-name globs', usersValue.line)
    for (const u of items ?? []) {
      if (!canMatchIamName(u.text)) {
        fail(ctx, u.line, `"users": ${quote(u.text)} can never match an IAM user name (letters, digits and + = , . @ _ - only), nor ${ROOT_USER}`)
      }
    }
    users = items?.map((u) => u.text) ?? null
    if (users && users.length > MAX_USERS_PER_RULE) {
      fail(ctx, usersValue.line, `"users" has ${users.length} globs: at most ${MAX_USERS_PER_RULE} are allowed`)
    }
  }

  let accounts: string[] | null = null
  const accountsValue = values.get('accounts')
  if (accountsValue) {
    const ids = textList(ctx, accountsValue.value, 'accounts', '12-digit account ids', accountsValue.line)
    for (const id of ids ?? []) {
      if (!ACCOUNT_ID.test(id.text)) fail(ctx, id.line, `"accounts": ${quote(id.text)} is not a 12-digit account id`)
    }
    accounts = ids?.map((id) => id.text) ?? null
    if (accounts && accounts.length > MAX_ACCOUNTS_PER_RULE) {
      fail(ctx, accountsValue.line, `"accounts" has ${accounts.length} ids: at most ${MAX_ACCOUNTS_PER_RULE} are allowed`)
    }
  }

  const owners: Owner[] = []
  const ownersValue = values.get('owners')
  if (!ownersValue) fail(ctx, line, `rule ${index + 1} has no "owners" (a list of logins, teams or e-mail addresses)`)
  else {
    const seen = new Set<string>()
    for (const item of textList(ctx, ownersValue.value, 'owners', 'GitHub logins, teams or e-mail addresses', ownersValue.line) ?? []) {
      for (const owner of parseOwnerItem(item.text)) {
        if (seen.has(ownerKey(owner))) continue
        seen.add(ownerKey(owner))
        owners.push(owner)
        // Something meant as a login, team or address that is none (`@/x`, `alice@`) is a mistake
        // its author can fix; plain text (`Billing team`) is kept as a name a person reads.
        if (owner.kind === 'name' && owner.value.includes('@')) {
          fail(ctx, item.line, `"owners": ${quote(owner.value)} is not a GitHub login (@name), team (@org/team) or e-mail address`)
        } else if (owner.kind === 'name') ctx.notes.push(`${ctx.fileName} line ${item.line}: ${notAnOwner(owner.value)}`)
      }
    }
    if (owners.length > MAX_OWNERS) {
      fail(ctx, ownersValue.line, `"owners" names ${owners.length} owners: at most ${MAX_OWNERS} are allowed`)
    }
  }

  if (ctx.errors.length > before || !users) return null
  return { users: [...new Set(users)], accounts: accounts ? [...new Set(accounts)] : null, owners, line }
}

/** The YAML parser's message without its position and source excerpt: the line is said once, first. */
function yamlMessage(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')
}

/**
 * The owners file: a YAML list of rules `{ users, accounts?, owners }`. Every problem is an
 * error naming the file and the line, all of them at once, so one edit fixes the file; a file
 * with any error gives no rules (half a file would silently give keys to the wrong owners).
 * An empty file, or one of comments only, has no rules.
 */
export function parseOwnersFile(text: string, fileName: string): ParsedOwnersFile {
  // A byte-order mark, as some Windows editors write, is not YAML content.
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text
  const lines = new LineCounter()
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: true, uniqueKeys: true })
  if (doc.errors.length) {
    return { ok: false, errors: cap(doc.errors.map((e) => `${fileName} line ${e.linePos?.[0].line ?? 1}: ${yamlMessage(e.message)}`)) }
  }
  const ctx: Context = { doc, lines, fileName, text: source, errors: [], notes: [] }
  const top = resolved(ctx, doc.contents)
  if (top === null || top === undefined || (isScalar(top) && top.value === null)) return { ok: true, rules: [], notes: [] }
  if (!isSeq(top)) {
    return {
      ok: false,
      errors: [`${fileName} line ${lineOf(ctx, top as Node, 1)}: the file must be a list of rules, each with "users" and "owners", not ${whatIs(ctx, top)}`]
    }
  }
  if (top.items.length > MAX_RULES) {
    return { ok: false, errors: [`${fileName}: ${top.items.length} rules: at most ${MAX_RULES} are allowed`] }
  }
  const rules: OwnerRule[] = []
  let lastLine = lineOf(ctx, top as Node, 1)
  top.items.forEach((item, i) => {
    const rule = readRule(ctx, item, i, lastLine)
    lastLine = lineOf(ctx, resolved(ctx, item) as Node, lastLine)
    if (rule) rules.push(rule)
  })
  // In the file's order, whatever order the checks ran in (sort is stable: same line, same order).
  if (ctx.errors.length) return { ok: false, errors: cap(ctx.errors.sort((a, b) => a.line - b.line).map((e) => e.text)) }
  return { ok: true, rules, notes: [...new Set(ctx.notes)] }
}

function cap(errors: string[]): string[] {
  if (errors.length <= MAX_ERRORS) return errors
  return [...errors.slice(0, MAX_ERRORS), `… and ${errors.length - MAX_ERRORS} more errors`]
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
