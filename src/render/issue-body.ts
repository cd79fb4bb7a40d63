import type { Finding } from '../core/model.js'
import { lastUseKnown, type Report } from '../core/report.js'
import { plural } from '../core/plural.js'
import { RESOLVED_HEADER, cutTable, medianLine, renderChanges, resolvedRow } from './changes.js'
import { code, oneLine, plain } from './escape.js'
import { overdueCell, renderFindingSections } from './findings-table.js'
import { anyOwned, findingOwners, mentionOwner, ownerCell, renderOwnersSection } from './owners.js'
import { mentionable, ownerKey, type Owner } from '../core/owners.js'
import { keyCell, kindCounts, kindLabel, policyLine, withinPolicy } from './text.js'

/**
 * GitHub rejects an issue body or comment over 65,536 characters (422). The visible text is
 * budgeted in UTF-8 bytes, a safe upper bound on its characters.
 */
export const ISSUE_BODY_MAX = 65_536

/** GitHub also refuses a body over 262,144 bytes (UTF-8). */
export const ISSUE_BODY_MAX_BYTES = 262_144

/** Characters as GitHub counts them: code points. */
export const codePoints = (text: string) => [...text].length

/** Does `body` fit both of GitHub's limits on an issue body or comment (characters and bytes)? */
export function issueBodyFits(body: string): boolean {
  return codePoints(body) <= ISSUE_BODY_MAX && Buffer.byteLength(body) <= ISSUE_BODY_MAX_BYTES
}

/** The hidden marker that finds an account's issue, whatever its title or labels become. */
export function issueMarker(accountId: string): string {
  // An id is 12 digits; anything else from AWS is percent-encoded so that it cannot close the comment.
  const id = accountId.replace(/[^\w.-]/gu, (c) => `%${c.codePointAt(0)!.toString(16)}`)
  return `<!-- iam-key-sentry:account=${id} -->`
}

export const TITLE_PREFIX = 'IAM Key Sentry:'

export function issueTitle(report: Report, accountId: string): string {
  const { stale, findings } = report.totals
  const what = stale === findings ? plural(stale, 'stale access key') : `${plural(findings, 'IAM access key finding')}`
  // A title is not Markdown, but it is one line.
  return `${TITLE_PREFIX} ${what} in account ${oneLine(accountId)}`
}

export interface IssueBodyOptions {
  maskKeyIds: boolean
  runUrl: string | null
  /** The body's budget (default ISSUE_BODY_MAX): visible bytes plus the state's characters. */
  maxBytes?: number
  /**
   * The hidden state record (an HTML comment, issue-state.ts), put at the very end after a blank
   * line. Opaque here, and never cut: it counts by its characters, and the tables give way.
   */
  state?: string
  /**
   * remediation: comment: each key shows the command that acts on it (`/deactivate AKIA…`), with
   * its full id, which the command needs even where mask-key-ids masks the rest.
   */
  commands?: boolean
}

/**
 * The tracking issue's body for one account: rewritten whole on every run. What changed since
 * the last run first, then who owns which key (when any counted finding has an owner), then the
 * findings by kind, then the state record. GitHub limits a body to 65,536 characters and
 * 262,144 bytes: the visible text is budgeted in bytes (at least its characters) and the state
 * by its characters, so that visible bytes + state characters <= maxBytes; the state's bytes (3
 * per CJK character) stay far under the byte limit.
 */
export function renderIssueBody(report: Report, accountId: string, options: IssueBodyOptions): string {
  const maxBytes = options.maxBytes ?? ISSUE_BODY_MAX
  const run = options.runUrl ? ` by [this workflow run](${options.runUrl})` : ''
  const head =
    `${issueMarker(accountId)}\n` +
    `## IAM access keys to fix in account ${plain(accountId)}\n\n` +
    `**${kindCounts(report)}** as of ${report.generatedAt}${run}. ${policyLine(report)}\n\n`
  const intro =
    `This issue is kept current by IAM Key Sentry: its body is rewritten on every scan, and it is closed when the account is clean. ` +
    `Rotate or delete the keys below; the next scan updates this list.\n\n`
  const tail = (omitted: number) =>
    omitted > 0
      ? `_${plural(omitted, 'more finding')} not shown: GitHub limits an issue to 65,536 characters. ` +
        `The full list is in the JSON report of ${options.runUrl ? `[the workflow run](${options.runUrl})` : 'the workflow run'} (\`report-file\` output, and the SNS message)._\n`
      : ''
  const state = options.state ?? ''
  const room =
    maxBytes - Buffer.byteLength(head) - Buffer.byteLength(intro) - Buffer.byteLength(tail(report.findings.length)) - codePoints(state) - 64
  const ownerColumn = anyOwned(report.findings)
  const sections = (budget: number) =>
    renderFindingSections(report.findings, {
      maskKeyIds: options.maskKeyIds,
      maxBytes: budget,
      lastUseKnown: (f) => lastUseKnown(report, f.accountId),
      ownerColumn,
      commandColumn: options.commands
    })
  const owners = (budget: number) =>
    renderOwnersSection(report.findings, { maskKeyIds: options.maskKeyIds, maxBytes: budget, commands: options.commands })
  // What changed gets what the findings and the owners leave, and at least a third of the room
  // when they do not all fit; the owners get what the findings leave of the rest, and at least
  // half of it; the findings table the remainder.
  const findingsNeed = Buffer.byteLength(sections(Infinity).markdown)
  const ownersNeed = Buffer.byteLength(owners(Infinity).markdown)
  const changes = renderChanges(report, {
    maskKeyIds: options.maskKeyIds,
    maxBytes: Math.max(0, Math.floor(room / 3), room - findingsNeed - ownersNeed)
  })
  const left = room - Buffer.byteLength(changes.markdown)
  const ownersSection = owners(Math.min(ownersNeed, Math.max(0, Math.floor(left / 2), left - findingsNeed)))
  const table = sections(left - Buffer.byteLength(ownersSection.markdown))
  const visible = `${head}${changes.markdown}${intro}${ownersSection.markdown}${table.markdown}${tail(table.omitted)}`
  return state ? `${visible.replace(/\n*$/, '\n\n')}${state}` : visible
}

/** At most this many bytes (so characters) in a comment's table: GitHub's 65,536 less room for the rest. */
const COMMENT_TABLE_MAX_BYTES = ISSUE_BODY_MAX - 2_048

export interface CommentOptions {
  maskKeyIds: boolean
  runUrl: string | null
}

export const NEW_FINDINGS_HEADER = '| User | Access key | Kind | Age (days) | Overdue (days) |\n|---|---|---|--:|--:|\n'
/** The same with the owners (inert) after the user: where any new finding has an owner. */
export const NEW_FINDINGS_OWNER_HEADER =
  '| User | Owner | Access key | Kind | Age (days) | Overdue (days) |\n|---|---|---|---|--:|--:|\n'

/** The new-findings comment mentions at most this many owners; the issue's Owners section lists them all. */
export const COMMENT_MAX_MENTIONS = 50

/**
 * The logins and teams that own any of `findings`, once each in the order first met: the only
 * owners a comment mentions (an address or a plain name is no one GitHub can notify).
 */
export function mentionedOwners(findings: readonly Finding[]): Owner[] {
  const seen = new Set<string>()
  const owners: Owner[] = []
  for (const f of findings) {
    for (const owner of findingOwners(f)) {
      if (!mentionable(owner) || seen.has(ownerKey(owner))) continue
      seen.add(ownerKey(owner))
      owners.push(owner)
    }
  }
  return owners
}

/** `Owners of the new keys: @alice @acme/platform`; empty when no new key has a login or team. */
function mentionLine(findings: readonly Finding[]): string {
  const owners = mentionedOwners(findings)
  if (owners.length === 0) return ''
  const named = owners.slice(0, COMMENT_MAX_MENTIONS).map(mentionOwner).join(' ')
  const rest = owners.length - COMMENT_MAX_MENTIONS
  const more = rest > 0 ? ` and ${plural(rest, 'more owner')}: the issue's Owners section lists them.` : ''
  return `\nOwners of the new keys: ${named}${more}\n`
}

/**
 * The comment that tells the issue's participants about findings new since the last run (editing
 * the body notifies nobody). Null when no counted finding of the account is new. Where a new
 * finding has owners, the table shows them (inert) and one closing line mentions the logins and
 * teams among them, so each is notified once per new key, and never for a key already known.
 */
export function newFindingsComment(report: Report, accountId: string, options: CommentOptions): string | null {
  const fresh = report.findings.filter((f) => f.accountId === accountId && f.new === true)
  if (fresh.length === 0) return null
  const run = options.runUrl ? ` ([workflow run](${options.runUrl}))` : ''
  const head =
    `### ${fresh.length} new since the last run\n\n` +
    `${fresh.length === 1 ? 'A key' : 'Keys'} in account ${plain(accountId)} with a finding that the last run did not have, as of ${report.generatedAt}${run}:\n\n`
  const owned = anyOwned(fresh)
  const rows = fresh.map(
    (f) =>
      `| ${plain(f.userName)} |${owned ? ` ${ownerCell(f)} |` : ''} ${code(keyCell(f, options.maskKeyIds))} | ${kindLabel(f)} | ${f.ageDays} | ${overdueCell(f)} |\n`
  )
  // Every owner of the new keys is mentioned, also those of rows cut from the table.
  const mentions = mentionLine(fresh)
  const header = owned ? NEW_FINDINGS_OWNER_HEADER : NEW_FINDINGS_HEADER
  const table = cutTable(header, rows, COMMENT_TABLE_MAX_BYTES - Buffer.byteLength(head) - Buffer.byteLength(mentions))
  const more =
    table.omitted > 0
      ? `\n_${plural(table.omitted, 'more new finding')} not shown: GitHub limits a comment to 65,536 characters. The issue body and the JSON report list them._\n`
      : ''
  return `${head}${table.markdown}${more}${mentions}`
}

/**
 * The comment that closes a clean account's issue. With keys resolved in that last run, it lists
 * them (user, key, the kind it had, first seen, days open, how) and their median days open.
 */
export function closingComment(report: Report, accountId: string, runUrl: string | null, options: { maskKeyIds?: boolean } = {}): string {
  const run = runUrl ? ` ([workflow run](${runUrl}))` : ''
  const closing = `${withinPolicy(report.totals.keys)} in account ${plain(accountId)} as of ${report.generatedAt}${run}. Closing.`
  const resolved = report.resolved.filter((r) => r.accountId === accountId)
  if (resolved.length === 0) return closing
  const head = `${closing}\n\n### Resolved since the last run: ${resolved.length}\n\n`
  const median = `\n${medianLine(resolved)}\n`
  const rows = resolved.map((r) => resolvedRow(r, options.maskKeyIds ?? true))
  const table = cutTable(RESOLVED_HEADER, rows, COMMENT_TABLE_MAX_BYTES - Buffer.byteLength(head) - Buffer.byteLength(median))
  const more =
    table.omitted > 0
      ? `\n_${plural(table.omitted, 'more resolved key')} not shown: GitHub limits a comment to 65,536 characters. The JSON report lists them._\n`
      : ''
  return `${head}${table.markdown}${more}${median}`
}

/** GitHub reads "Duplicate of #N" in a comment and links the two issues. */
export function duplicateComment(keptNumber: number): string {
  return `Duplicate of #${keptNumber}\n\nTwo runs of IAM Key Sentry opened an issue for this account at the same time; the older one, #${keptNumber}, is kept current.`
}
