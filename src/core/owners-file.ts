// The owners file (DESIGN.md, Owners v2): its YAML parsed into rules, every problem at once. Apart
// from core/owners.ts because of the YAML parser: action/owners-file.ts imports this module only
// when the repository has an owners file, so that the other runs do not load the parser.
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml'
import {
  ACCOUNT_ID,
  MAX_ACCOUNTS_PER_RULE,
  MAX_ERRORS,
  MAX_OWNERS,
  MAX_RULES,
  MAX_USERS_PER_RULE,
  notAnOwner,
  ownerKey,
  parseOwnerItem,
  quote,
  ROOT_USER,
  type Owner,
  type OwnerRule,
  type ParsedOwnersFile
} from './owners.js'

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
