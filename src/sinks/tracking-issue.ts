// One open GitHub issue per AWS account, found by a hidden marker, kept current every run.
import { forAccount } from '../core/logger.js'
import type { Logger } from '../core/model.js'
import { accountReport, isComplete, type Report } from '../core/report.js'
import {
  closingComment,
  duplicateComment,
  issueMarker,
  issueTitle,
  newFindingsComment,
  renderIssueBody,
  TITLE_PREFIX
} from '../render/issue-body.js'
import { decodeState, encodeState, STATE_MAX_CHARS, type DecodedState } from '../render/issue-state.js'
import { MAX_RECORD_COMMENTS, readRecordPointer, recordCommentBody, recordPointer } from '../render/issue-record.js'
import type { Baseline } from '../core/lifecycle.js'
import { RATE_LIMIT_WAIT_S, requestLabel, type Octokit } from './octokit.js'
import { RequestTimeoutError } from '../core/deadline.js'
import { isoSeconds } from '../core/dates.js'
import { plural } from '../core/plural.js'
import { githubLogins, parseOwner } from '../core/owners.js'

export interface Repo {
  owner: string
  repo: string
}

export interface TrackingOptions {
  labels: string[]
  assignees: string[]
  /** assign-owners: the owners that are logins join `assignees`, kept in step every run. */
  assignOwners?: boolean
  /** remediation: comment: the body shows the command for each key. */
  commands?: boolean
  maskKeyIds: boolean
  runUrl: string | null
  log: Logger
  /** The record to keep in each account's issue (AccountScan.lifecycle.next). */
  records?: ReadonlyMap<string, Baseline>
  /** What readTrackingIssues found before the scan's results were compared: not listed twice. */
  found?: TrackingRead
}

/** The largest record kept in an issue body: the rest of GitHub's 65,536 characters is the visible text. */
export const BODY_STATE_MAX_CHARS = 56_000

export interface OpenIssue {
  number: number
  title: string
  body: string
  url: string
}

export type IssueAction = 'create' | 'update' | 'close' | 'none'

export interface TrackingResult {
  accountId: string
  action: IssueAction
  /** The issue left open, if any. */
  open: { number: number; url: string } | null
}

/**
 * What to do for one account. An account that was not scanned completely is never
 * taken for clean: its issue is left as it is.
 */
export function decideIssueAction(hasFindings: boolean, complete: boolean, existing: OpenIssue | null): IssueAction {
  if (!complete) return 'none'
  if (hasFindings) return existing ? 'update' : 'create'
  return existing ? 'close' : 'none'
}

const LABEL_COLOR = 'b60205'

/** Who opened an issue, as the REST listing says (`user` is null for a deleted account). */
export interface Author {
  login: string
  type?: string
}

export interface IssueItem {
  number: number
  title: string
  body?: string | null
  html_url: string
  created_at?: string
  user?: Author | null
  pull_request?: unknown
}

/** The account the default GITHUB_TOKEN acts as. */
export const ACTIONS_BOT = 'github-actions[bot]'

/**
 * The token's own account, whose issues are the only ones adopted: a login for a personal
 * token and, through GraphQL's viewer, for an app installation token (`github-actions[bot]`
 * for the default GITHUB_TOKEN). When GraphQL cannot name an installation token's bot, the
 * default token's bot is assumed: an issue of any other account, bot or person, is never
 * overwritten on a guess.
 */
export interface Identity {
  login: string
}

export async function findIdentity(octokit: Octokit, log: Logger): Promise<Identity> {
  try {
    const { data } = await octokit.rest.users.getAuthenticated()
    return { login: data.login }
  } catch (err) {
    // An installation token may not read /user: 403 "Resource not accessible by integration".
    // REST has no other way to name its bot; GraphQL's viewer does. Any other 403 (a rate
    // limit, a blocked token) is a failure, not a sign of an installation token.
    const e = err as { status?: number; message?: string }
    if (e.status !== 403 || !/not accessible by integration/i.test(e.message ?? '')) throw err
  }
  try {
    const { viewer } = await octokit.graphql<{ viewer: { login: string } }>('query { viewer { login } }')
    return { login: viewer.login }
  } catch (err) {
    // Only GraphQL's own refusal (errors in its answer) falls back; a rate limit, a timeout or
    // a 5xx fails the sink like any other request.
    if ((err as { name?: string }).name !== 'GraphqlResponseError') throw err
    log.warning(
      `GitHub did not name the token's account (${(err as Error).message}): only issues opened by ${ACTIONS_BOT} are taken for ours`
    )
    return { login: ACTIONS_BOT }
  }
}

/** GitHub logins are case-insensitive. */
export function isOurs(author: Author | null | undefined, identity: Identity): boolean {
  return !!author && author.login.toLowerCase() === identity.login.toLowerCase()
}

function asOpenIssue(item: IssueItem): OpenIssue {
  return { number: item.number, title: item.title, body: item.body ?? '', url: item.html_url }
}

/** Oldest first: the issue a duplicate points to. created_at has whole seconds, so the number breaks ties. */
export function oldestFirst(a: IssueItem, b: IssueItem): number {
  const at = (i: IssueItem) => Date.parse(i.created_at ?? '') || 0
  return at(a) - at(b) || a.number - b.number
}

/** An issue with an account's marker that someone else opened. */
export interface ForeignIssue {
  number: number
  accountId: string
  author: string | null
}

/**
 * Every open issue of ours carrying each account's marker, oldest first, through the REST
 * issues endpoints: they read what was just written, where the search API's index lags and
 * would miss a just-created issue. First by each label; when a person removed our labels,
 * every open issue is looked at. An issue someone else opened is never ours, whatever it
 * carries: it is returned apart, to be left alone.
 */
export async function findOpenIssues(
  octokit: Octokit,
  repo: Repo,
  labels: string[],
  accountIds: string[],
  identity: Identity
): Promise<{ ours: Map<string, OpenIssue[]>; foreign: ForeignIssue[] }> {
  const found = new Map<string, IssueItem[]>()
  const foreign = new Map<number, ForeignIssue>()
  const scan = (items: IssueItem[]) => {
    for (const item of items) {
      if (item.pull_request) continue
      const accountId = accountIds.find((id) => (item.body ?? '').includes(issueMarker(id)))
      if (accountId === undefined) continue
      if (!isOurs(item.user, identity)) {
        foreign.set(item.number, { number: item.number, accountId, author: item.user?.login ?? null })
        continue
      }
      const list = found.get(accountId) ?? []
      if (!list.some((i) => i.number === item.number)) found.set(accountId, [...list, item])
    }
  }
  const list = (extra: { labels?: string }) =>
    octokit.paginate(octokit.rest.issues.listForRepo, { ...repo, state: 'open', per_page: 100, ...extra })
  const listAll = async () => {
    for (const label of labels) {
      scan((await list({ labels: label })) as IssueItem[])
      if (found.size === accountIds.length) return
    }
    scan((await list({})) as IssueItem[])
  }
  await listAll()
  const ours = new Map([...found].map(([id, items]) => [id, [...items].sort(oldestFirst).map(asOpenIssue)]))
  return { ours, foreign: [...foreign.values()] }
}

/** The issues of this run's accounts, and whose token writes them: read once, before the diff. */
export interface TrackingRead {
  identity: Identity
  ours: Map<string, OpenIssue[]>
  foreign: ForeignIssue[]
  /** The record of each account's kept (oldest) issue. */
  records: Map<string, IssueRecord>
}

export async function readTrackingIssues(
  octokit: Octokit,
  repo: Repo,
  labels: string[],
  accountIds: string[],
  log: Logger
): Promise<TrackingRead> {
  const identity = await findIdentity(octokit, log)
  const { ours, foreign } = await findOpenIssues(octokit, repo, labels, accountIds, identity)
  const records = new Map<string, IssueRecord>()
  for (const [accountId, [kept]] of ours) {
    if (kept) records.set(accountId, await readIssueRecord(octokit, repo, kept, accountId, identity))
  }
  return { identity, ours, foreign, records }
}

/** An issue's record, and the comments of ours that hold it and its spare set (issue-record.ts). */
export interface IssueRecord {
  decoded: DecodedState
  commentIds: number[]
  spareIds: number[]
}

/**
 * The record an open issue keeps (DESIGN.md, Lifecycle). Usually in its body, where the action
 * writes it whole: reading it costs no request beyond the listing. A record too big for the body
 * is in comments the body points to: one request each (and one per spare comment, checked before
 * the next run writes it), and only a comment of ours on this issue is taken. A record that is
 * missing (an issue written before v2) or unreadable is an error result, never an empty record.
 */
export async function readIssueRecord(
  octokit: Octokit,
  repo: Repo,
  issue: OpenIssue,
  accountId: string,
  identity: Identity
): Promise<IssueRecord> {
  const pointer = readRecordPointer(issue.body)
  if (pointer === null) return { decoded: forThisAccount(decodeState([issue.body]), accountId), commentIds: [], spareIds: [] }
  if (pointer === 'malformed') {
    const error = "the pointer to the record's comments was changed and cannot be read"
    return { decoded: { ok: false, reason: 'corrupt', error }, commentIds: [], spareIds: [] }
  }
  /** Our comments on this issue among `ids`, with their text; others (a person's, another issue's, deleted) are left out. */
  const ours = async (ids: number[]) => {
    const found: { id: number; body: string }[] = []
    for (const id of ids) {
      try {
        const { data } = await octokit.rest.issues.getComment({ ...repo, comment_id: id })
        if (isOurs(data.user, identity) && data.issue_url.endsWith(`/repos/${repo.owner}/${repo.repo}/issues/${issue.number}`)) {
          found.push({ id, body: data.body ?? '' })
        }
      } catch (err) {
        // Deleted by a person: the record is incomplete, which decodeState says.
        if ((err as { status?: number }).status !== 404) throw err
      }
    }
    return found
  }
  const parts = await ours(pointer.ids)
  const spareIds = (await ours(pointer.spare)).map((c) => c.id)
  const commentIds = parts.map((c) => c.id)
  const decoded = decodeState(parts.map((c) => c.body))
  if (!decoded.ok && decoded.reason === 'missing') {
    const error = `the record's ${plural(pointer.ids.length, 'comment')} ${pointer.ids.length === 1 ? 'is' : 'are'} gone (deleted, or not this action's)`
    return { decoded: { ok: false, reason: 'incomplete', error }, commentIds, spareIds }
  }
  return { decoded: forThisAccount(decoded, accountId), commentIds, spareIds }
}

function forThisAccount(decoded: DecodedState, accountId: string): DecodedState {
  if (decoded.ok && decoded.state.accountId !== accountId) {
    return { ok: false, reason: 'corrupt', error: `the state record is for account ${decoded.state.accountId}, not ${accountId}` }
  }
  return decoded
}

/** Said every run while the issue keeps the marker; the author is named as text, never mentioned. */
export function foreignIssueMessage(issue: ForeignIssue, identity: Identity): string {
  const who = issue.author ?? 'a deleted account'
  return (
    `Issue #${issue.number} carries the marker of account ${issue.accountId} but was opened by ${who}, ` +
    `not by this action's token (${identity.login}): left untouched`
  )
}

async function ensureLabels(octokit: Octokit, repo: Repo, labels: string[]): Promise<void> {
  for (const name of labels) {
    try {
      await octokit.rest.issues.createLabel({ ...repo, name, color: LABEL_COLOR })
    } catch (err) {
      // 422: the label exists already.
      if ((err as { status?: number }).status !== 422) throw err
    }
  }
}

/**
 * Close `duplicate` as a duplicate of `kept`, with a comment GitHub links. GitHub Enterprise
 * Server versions without the `duplicate` reason answer 422: `not_planned` then.
 */
async function closeAsDuplicate(octokit: Octokit, repo: Repo, duplicate: number, kept: number, log: Logger): Promise<void> {
  await octokit.rest.issues.createComment({ ...repo, issue_number: duplicate, body: duplicateComment(kept) })
  const close = (state_reason: 'duplicate' | 'not_planned') =>
    octokit.rest.issues.update({ ...repo, issue_number: duplicate, state: 'closed', state_reason })
  try {
    await close('duplicate')
  } catch (err) {
    if ((err as { status?: number }).status !== 422) throw err
    await close('not_planned')
  }
  log.info(`Closed tracking issue #${duplicate} as a duplicate of #${kept}`)
}

/** Create, update or close each scanned account's issue. */
export async function syncTrackingIssues(
  octokit: Octokit,
  repo: Repo,
  report: Report,
  options: TrackingOptions
): Promise<TrackingResult[]> {
  const ids = report.accounts.map((a) => a.accountId)
  const { identity, ours: existing, foreign, records } =
    options.found ?? (await readTrackingIssues(octokit, repo, options.labels, ids, options.log))
  for (const f of foreign) options.log.warning(foreignIssueMessage(f, identity))
  const results: TrackingResult[] = []
  /** Whether each login can be assigned in the repository, asked once per run. */
  const assignable = new Map<string, boolean>()
  const created: { accountId: string; number: number; body: string; result: TrackingResult; update: (kept: OpenIssue) => Promise<void> }[] = []
  for (const accountId of ids) {
    const account = accountReport(report, accountId)
    const accountLog = forAccount(options.log, accountId)
    // Two open issues of ours for one account: an earlier race. The oldest is kept.
    const [issue = null, ...duplicates] = existing.get(accountId) ?? []
    for (const d of duplicates) await closeAsDuplicate(octokit, repo, d.number, issue!.number, accountLog)
    const action = decideIssueAction(account.totals.findings > 0, isComplete(account), issue)
    const placement = placeRecord(options.records?.get(accountId), accountLog)
    const body = (state: string | undefined) =>
      renderIssueBody(account, accountId, { maskKeyIds: options.maskKeyIds, runUrl: options.runUrl, state, commands: options.commands })
    let assignees: string[] | null = null
    if (options.assignOwners && (action === 'create' || action === 'update')) {
      try {
        assignees = await issueAssignees(octokit, repo, account, options.assignees, assignable, accountLog)
      } catch (err) {
        // The assignees are a courtesy: a failed check leaves them as they are, never the issue unwritten.
        accountLog.warning(`The owners were not assigned: GitHub could not say who can be assigned (${describeGithubError(err)})`)
      }
    }
    /** Writes the record's comments first, so the body never points to comments not yet written. */
    const update = async (kept: OpenIssue, earlier: RecordComments) => {
      const written = await writeRecord(octokit, repo, kept.number, accountId, placement, earlier)
      // A title a person chose is kept; ours is kept current.
      const title = kept.title.startsWith(TITLE_PREFIX) ? issueTitle(account, accountId) : undefined
      const text = body(written.state)
      await octokit.rest.issues.update({
        ...repo,
        issue_number: kept.number,
        body: text,
        ...(title ? { title } : {}),
        // In step with the owners: who is no longer an owner is unassigned.
        ...(assignees ? { assignees } : {})
      })
      await deleteComments(octokit, repo, written.obsolete, accountLog)
      accountLog.info(`Updated tracking issue #${kept.number}${written.comments ? ` (its record in ${plural(written.comments, 'comment')})` : ''}`)
      return text
    }
    let open = issue ? { number: issue.number, url: issue.url } : null
    if (action === 'create') {
      await ensureLabels(octokit, repo, options.labels)
      // A record in comments needs the issue's number: the body points to them once written.
      const inBody = placement?.where === 'body' ? placement.text : undefined
      const { data } = await octokit.rest.issues.create({
        ...repo,
        title: issueTitle(account, accountId),
        body: body(inBody),
        labels: options.labels,
        assignees: assignees ?? options.assignees
      })
      open = { number: data.number, url: data.html_url }
      accountLog.info(`Opened tracking issue #${data.number}`)
      const opened: OpenIssue = { number: data.number, title: issueTitle(account, accountId), body: '', url: data.html_url }
      const text = placement?.where === 'comments' ? await update(opened, NO_COMMENTS) : body(inBody)
      const result: TrackingResult = { accountId, action, open }
      // The issue another run opened at the same time keeps its own record comments: they are reused.
      const updateOther = async (kept: OpenIssue) => void (await update(kept, await readIssueRecord(octokit, repo, kept, accountId, identity)))
      created.push({ accountId, number: data.number, body: text, result, update: updateOther })
      results.push(result)
      continue
    } else if (action === 'update' && issue) {
      await update(issue, records.get(accountId) ?? NO_COMMENTS)
      // Editing a body notifies nobody: what is new is said in a comment, one per run at most.
      const comment = newFindingsComment(account, accountId, { maskKeyIds: options.maskKeyIds, runUrl: options.runUrl })
      if (comment) {
        await octokit.rest.issues.createComment({ ...repo, issue_number: issue.number, body: comment })
        accountLog.info(`Commented on tracking issue #${issue.number}: ${plural(account.totals.new ?? 0, 'new finding')}`)
      }
    } else if (action === 'close' && issue) {
      await octokit.rest.issues.createComment({
        ...repo,
        issue_number: issue.number,
        body: closingComment(account, accountId, options.runUrl, { maskKeyIds: options.maskKeyIds })
      })
      await octokit.rest.issues.update({ ...repo, issue_number: issue.number, state: 'closed', state_reason: 'completed' })
      open = null
      accountLog.info(`Closed tracking issue #${issue.number}: the account is clean`)
    }
    results.push({ accountId, action, open })
  }
  // Another run may have listed and created at the same time: look again, once for every issue
  // this run opened. The run whose issue is not the oldest closes its own and writes its
  // findings to the oldest.
  if (created.length) {
    const again = await findOpenIssues(octokit, repo, options.labels, created.map((c) => c.accountId), identity)
    for (const c of created) {
      const [oldest] = again.ours.get(c.accountId) ?? []
      if (!oldest || oldest.number === c.number) continue
      forAccount(options.log, c.accountId).info(`Another run opened tracking issue #${oldest.number} at the same time`)
      await closeAsDuplicate(octokit, repo, c.number, oldest.number, forAccount(options.log, c.accountId))
      if (oldest.body !== c.body) await c.update(oldest)
      c.result.open = { number: oldest.number, url: oldest.url }
    }
  }
  return results
}

/** GitHub's limit of assignees per issue. */
export const MAX_ASSIGNEES = 10

/**
 * The issue's assignees with assign-owners: issue-assignees, then the owners of its counted
 * findings that are logins (teams and addresses cannot be assigned), each once, only those GitHub
 * says can be assigned in the repository (an unknown login would make GitHub refuse the whole
 * write), the first 10. Who is left out is said.
 */
export async function issueAssignees(
  octokit: Octokit,
  repo: Repo,
  account: Report,
  base: string[],
  assignable: Map<string, boolean>,
  log: Logger
): Promise<string[]> {
  const owners = account.findings.filter((f) => !f.exempt).flatMap((f) => githubLogins((f.owners ?? []).map(parseOwner)))
  const wanted: string[] = []
  for (const login of [...base, ...owners]) {
    if (!wanted.some((w) => w.toLowerCase() === login.toLowerCase())) wanted.push(login)
  }
  const refused: string[] = []
  const ok: string[] = []
  for (const login of wanted) {
    const key = login.toLowerCase()
    if (!assignable.has(key) && ok.length < MAX_ASSIGNEES) {
      try {
        await octokit.rest.issues.checkUserCanBeAssigned({ ...repo, assignee: login })
        assignable.set(key, true)
      } catch (err) {
        if ((err as { status?: number }).status !== 404) throw err
        assignable.set(key, false)
      }
    }
    if (assignable.get(key) === false) refused.push(login)
    else if (assignable.get(key)) ok.push(login)
  }
  if (refused.length) log.warning(`Not assigned (GitHub says they cannot be assigned in this repository): ${refused.map((l) => `@${l}`).join(', ')}`)
  const kept = ok.slice(0, MAX_ASSIGNEES)
  const over = wanted.filter((l) => !kept.includes(l) && !refused.includes(l))
  if (over.length) log.warning(`GitHub assigns at most ${MAX_ASSIGNEES} people to an issue: ${plural(over.length, 'owner')} left out (${over.map((l) => `@${l}`).join(', ')})`)
  return kept
}

/** Where the record goes: whole in the body when it fits its share, else in comments of ours. */
export type RecordPlacement = { where: 'body'; text: string } | { where: 'comments'; parts: string[] }

/**
 * The record as hidden text: in the body when it fits beside the visible text (one part of
 * BODY_STATE_MAX_CHARS), else split into comments of STATE_MAX_CHARS. undefined when there is
 * none to keep, or it would take more than MAX_RECORD_COMMENTS comments (said as a warning: the
 * next run then has no baseline for the account, which is never taken for "everything resolved").
 */
export function placeRecord(record: Baseline | undefined, log: Logger): RecordPlacement | undefined {
  if (!record) return undefined
  const whole = encodeState(record, { maxChars: BODY_STATE_MAX_CHARS })
  if (whole.length === 1) return { where: 'body', text: whole[0]! }
  const parts = encodeState(record, { maxChars: STATE_MAX_CHARS })
  if (parts.length <= MAX_RECORD_COMMENTS) return { where: 'comments', parts }
  log.warning(
    `The record of ${plural(record.keys.length, 'key')} would take ${parts.length} comments (at most ${MAX_RECORD_COMMENTS}): ` +
      'it is not kept, so the next run has no baseline for this account'
  )
  return undefined
}

/** The comments of ours an issue's record is in, and its spare set. */
type RecordComments = Pick<IssueRecord, 'commentIds' | 'spareIds'>
const NO_COMMENTS: RecordComments = { commentIds: [], spareIds: [] }

interface WrittenRecord {
  /** What the body carries: the record itself, the pointer to its comments, or nothing. */
  state: string | undefined
  /** Comments of ours that the body will no longer point to: deleted once the body is written. */
  obsolete: number[]
  /** How many comments hold the record. */
  comments: number
}

/**
 * Writes a record that goes in comments into the spare set (issue-record.ts): each part over a
 * spare comment (an edit notifies nobody), a new comment only for a part more. The set the body
 * points to now is not touched: it becomes the spare once the body points to the new one.
 */
async function writeRecord(
  octokit: Octokit,
  repo: Repo,
  issueNumber: number,
  accountId: string,
  placement: RecordPlacement | undefined,
  earlier: RecordComments
): Promise<WrittenRecord> {
  const all = [...earlier.commentIds, ...earlier.spareIds]
  if (!placement) return { state: undefined, obsolete: all, comments: 0 }
  if (placement.where === 'body') return { state: placement.text, obsolete: all, comments: 0 }
  const ids: number[] = []
  for (const [i, part] of placement.parts.entries()) {
    const body = recordCommentBody(accountId, i + 1, placement.parts.length, part)
    const id = earlier.spareIds[i]
    if (id !== undefined) {
      try {
        await octokit.rest.issues.updateComment({ ...repo, comment_id: id, body })
        ids.push(id)
        continue
      } catch (err) {
        // Deleted by a person since it was read: a new one takes its place.
        if ((err as { status?: number }).status !== 404) throw err
      }
    }
    const { data } = await octokit.rest.issues.createComment({ ...repo, issue_number: issueNumber, body })
    ids.push(data.id)
  }
  const spare = earlier.commentIds
  return {
    state: recordPointer({ ids, spare }),
    obsolete: earlier.spareIds.filter((id) => !ids.includes(id)),
    comments: ids.length
  }
}

/**
 * Deletes comments the body no longer points to. Best effort: one left behind is only clutter
 * (it is never read again), so a failure is a warning and the run goes on.
 */
async function deleteComments(octokit: Octokit, repo: Repo, ids: number[], log: Logger): Promise<void> {
  for (const id of ids) {
    try {
      await octokit.rest.issues.deleteComment({ ...repo, comment_id: id })
    } catch (err) {
      if ((err as { status?: number }).status === 404) continue
      log.warning(`An old record comment (${id}) could not be deleted (${describeGithubError(err)}); it is no longer read`)
    }
  }
}

interface GithubErrorLike {
  status?: number
  message?: string
  cause?: unknown
  request?: { method?: string; url?: string }
  response?: { headers?: Record<string, string | undefined> }
}

/** The request an Octokit error came from. */
function requestName(e: GithubErrorLike): string {
  return e.request?.url ? requestLabel(e.request.method, e.request.url) : 'a request'
}

/**
 * When a rate limit answer (403 or 429) says it resets: x-ratelimit-reset (seconds since the
 * epoch) when the primary limit is spent, else retry-after (seconds, or an HTTP date).
 * undefined: not a rate limit; null: a rate limit that does not say.
 */
export function rateLimitReset(err: unknown, now: Date): Date | null | undefined {
  const e = (err ?? {}) as GithubErrorLike
  if (e.status !== 403 && e.status !== 429) return undefined
  const headers = e.response?.headers ?? {}
  const reset = Number(headers['x-ratelimit-reset'])
  if (headers['x-ratelimit-remaining'] === '0' && reset > 0) return new Date(reset * 1000)
  const retryAfter = headers['retry-after']
  if (retryAfter) {
    const date = /^\d+$/.test(retryAfter) ? new Date(now.getTime() + Number(retryAfter) * 1000) : new Date(retryAfter)
    return Number.isNaN(date.getTime()) ? null : date
  }
  return e.status === 429 || /rate limit/i.test(e.message ?? '') ? null : undefined
}

/** GitHub's answer, told as what to change. */
export function describeGithubError(err: unknown, now = new Date()): string {
  const e = (err ?? {}) as GithubErrorLike
  const detail = `${e.status ?? ''} ${e.message ?? String(err)}`.trim()
  if (e.cause instanceof RequestTimeoutError) {
    const tries = (e.request as { request?: { retryCount?: number } } | undefined)?.request?.retryCount
    return `GitHub tracking issue failed: ${e.cause.message} (no answer to ${plural((tries ?? 0) + 1, 'attempt')})`
  }
  const reset = rateLimitReset(err, now)
  if (reset !== undefined) {
    const when = reset ? `; it resets at ${isoSeconds(reset)}` : ''
    return (
      `GitHub's API rate limit was reached on ${requestName(e)} (${detail})${when}. The run waits at most ` +
      `${RATE_LIMIT_WAIT_S} s for it; the tracking issues are brought up to date by a run after the reset.`
    )
  }
  if (e.status === 403 && /not accessible by integration|permission/i.test(e.message ?? '')) {
    return `The GitHub token may not write issues (${detail}). Give the job:\npermissions:\n  issues: write`
  }
  if (e.status === 401) return `The GitHub token was refused (${detail}); check github-token`
  if (e.status === 404) return `GitHub answered 404 (${detail}): the repository is not visible to the token, or issues are disabled`
  return `GitHub tracking issue failed (${detail})`
}
