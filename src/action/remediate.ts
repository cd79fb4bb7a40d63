// Remediation from the tracking issue (DESIGN.md, Remediation): an approver's new comment names
// keys; each is re-read live with the scan's read-only session and acted on, exactly that key,
// with the remediation session. Every refusal changes nothing. The reply says what happened to
// each key; the caller then rescans the account and rewrites the issue.
import type { IAMClient } from '@aws-sdk/client-iam'
import type { AwsClientConfig } from '../aws/clients.js'
import { createStsClient } from '../aws/clients.js'
import { createIamClient } from '../aws/iam-client.js'
import { errorMessage } from '../aws/errors.js'
import { callerIdentity } from '../aws/identity.js'
import { assumeMemberRole, partitionOf } from '../aws/accounts.js'
import { deleteKey, lookUpKey, setKeyStatus, type LiveKeyFacts } from '../aws/remediation.js'
import { readUserTag } from '../aws/tags.js'
import { matchingPattern, readExemptTag } from '../core/exemptions.js'
import { isoSeconds } from '../core/dates.js'
import type { Logger } from '../core/model.js'
import { parseCommands, type RemediationCommand, type RemediationVerb } from '../core/remediation-commands.js'
import { decide, type LiveKey } from '../core/remediation-checks.js'
import { issueMarker } from '../render/issue-body.js'
import { notPermittedReply, remediationReply, type KeyOutcome } from '../render/remediation-reply.js'
import type { Octokit } from '../sinks/octokit.js'
import { findIdentity, isOurs, readIssueRecord, type Repo } from '../sinks/tracking-issue.js'
import type { IssueComment } from './events.js'
import type { ActionOptions } from './inputs.js'

/** What a remediation comment led to. */
export type RemediationResult =
  /** Not a command for this action (no command line, or not one of its tracking issues): the run scans as usual. */
  | { kind: 'not-ours'; why: string }
  /** Answered without acting: a refusal of the requester, errors in the commands, or nothing changed (dry run, every key refused). */
  | { kind: 'answered'; accountId: string; outcomes: KeyOutcome[] }
  /** Some key was changed: the account is rescanned and its issue rewritten. */
  | { kind: 'acted'; accountId: string; outcomes: KeyOutcome[]; requester: string; own: boolean; replyError: string | null }

export interface RemediationDeps {
  octokit: Octokit
  repo: Repo
  log: Logger
  now: Date
  runUrl: string | null
  /** The read-only session the scan uses (role-to-assume, or the default chain). */
  readSession: () => Promise<AwsClientConfig>
  /** The write session (remediation-role-to-assume, else the read session's role). */
  writeSession: () => Promise<AwsClientConfig>
}

const ACCOUNT_MARKER = /<!--\s*iam-key-sentry:account=(\d{12})\s*-->/

/**
 * Whether the requester may give commands (DESIGN.md, Remediation): a listed approver, or admin or
 * maintain permission on the repository. A login GitHub does not know as a collaborator (404) may not.
 */
async function permitted(octokit: Octokit, repo: Repo, login: string, approvers: string[]): Promise<boolean> {
  if (approvers.some((a) => a.toLowerCase() === login.toLowerCase())) return true
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ ...repo, username: login })
    return data.role_name === 'admin' || data.role_name === 'maintain' || data.permission === 'admin'
  } catch (err) {
    if ((err as { status?: number }).status === 404) return false
    throw err
  }
}

/** IAM in the issue's account: the session's own account, or through a member role there. */
async function iamIn(
  session: AwsClientConfig,
  accountId: string,
  roleName: string,
  sessionName: string,
  mask: (v: string) => void
): Promise<{ iam: IAMClient; own: boolean }> {
  const sts = createStsClient(session)
  const caller = await callerIdentity(sts)
  if (caller.accountId === accountId) return { iam: createIamClient(session), own: true }
  const credentials = await assumeMemberRole(sts, partitionOf(caller.arn), accountId, { roleName, sessionName, durationSeconds: 900 }, mask)
  return { iam: createIamClient({ ...session, credentials }), own: false }
}

/**
 * Obey the comment. Throws only when GitHub or AWS fail before any key was acted on (the caller
 * fails the step); a failure half-way is an outcome per key, in the reply.
 */
export async function remediate(
  options: ActionOptions,
  comment: IssueComment,
  deps: RemediationDeps,
  mask: (v: string) => void
): Promise<RemediationResult> {
  const { octokit, repo, log } = deps
  const parsed = parseCommands(comment.body)
  if (parsed.commands.length === 0 && parsed.errors.length === 0) return { kind: 'not-ours', why: 'the comment gives no command' }

  // Only one of this action's own tracking issues: the marker, and opened by the action's identity.
  const identity = await findIdentity(octokit, log)
  const { data: issue } = await octokit.rest.issues.get({ ...repo, issue_number: comment.issueNumber })
  // Exactly one account marker: a body edited to carry a second one names no account for sure.
  const markers = [...(issue.body ?? '').matchAll(new RegExp(ACCOUNT_MARKER.source, 'g'))].map((m) => m[1]!)
  if (new Set(markers).size !== 1 || !isOurs(issue.user, identity) || issue.pull_request) {
    return { kind: 'not-ours', why: `issue #${comment.issueNumber} is not one of this action's tracking issues` }
  }
  if (issue.state !== 'open') {
    return { kind: 'not-ours', why: `issue #${comment.issueNumber} is closed: commands are obeyed on the account's open tracking issue` }
  }
  // The action's own comments, and any other bot's, are never commands.
  if (comment.author.toLowerCase() === identity.login.toLowerCase() || comment.author.endsWith('[bot]')) {
    return { kind: 'not-ours', why: `the comment is by ${comment.author}, a bot` }
  }
  const accountId = markers[0]!
  if (!(issue.body ?? '').includes(issueMarker(accountId))) return { kind: 'not-ours', why: 'the marker is not ours' }
  const reply = async (body: string) => {
    await octokit.rest.issues.createComment({ ...repo, issue_number: comment.issueNumber, body })
  }

  if (!(await permitted(octokit, repo, comment.author, options.remediation.approvers))) {
    log.warning(`${comment.author} may not give remediation commands: nothing was done`)
    await reply(notPermittedReply({ requester: comment.author, approvers: options.remediation.approvers }))
    return { kind: 'answered', accountId, outcomes: [] }
  }
  if (parsed.errors.length) {
    log.warning(`The comment's commands have ${parsed.errors.length} problem(s): nothing was done`)
    await reply(remediationReply({ requester: comment.author, accountId, outcomes: [], errors: parsed.errors, runUrl: deps.runUrl }))
    return { kind: 'answered', accountId, outcomes: [] }
  }

  // What this action deactivated itself, from the issue's record: the only keys /reactivate takes.
  const record = await readIssueRecord(octokit, repo, { number: issue.number, title: issue.title, body: issue.body ?? '', url: issue.html_url }, accountId, identity)
  const ours = new Set(record.decoded.ok ? record.decoded.state.keys.filter((k) => k.deactivatedByAction).map((k) => k.accessKeyId) : [])

  const { iam: read, own } = await iamIn(await deps.readSession(), accountId, options.memberRoleName, options.roleSessionName, mask)
  let write: IAMClient | null = null
  const outcomes: KeyOutcome[] = []
  let stopped: string | null = null
  for (const command of parsed.commands) {
    for (const keyId of command.keyIds) {
      const base = { accessKeyId: keyId, verb: command.verb, dryRun: command.dryRun }
      if (stopped) {
        outcomes.push({ ...base, userName: null, result: 'not-attempted', before: null, after: null, lastUsedAt: null, lastUsedService: null, reason: stopped })
        continue
      }
      try {
        const facts = await lookUpKey(read, keyId)
        const live = facts ? await liveKey(read, facts, accountId, options, deps.now) : null
        const decision = decide(command.verb, { force: command.force, quietDays: options.remediation.quietDays, now: deps.now, deactivatedByAction: ours.has(keyId) }, live, accountId)
        const seen = {
          userName: live?.userName ?? null,
          createdAt: facts?.createdAt ? isoSeconds(facts.createdAt) : null,
          before: live?.status ?? null,
          lastUsedAt: live?.lastUsedAt ? live.lastUsedAt.toISOString() : null,
          lastUsedService: live?.lastUsedService ?? null
        }
        if (decision.kind === 'refused') {
          outcomes.push({ ...base, ...seen, result: 'refused', after: seen.before, reason: decision.reason })
        } else if (decision.kind === 'unchanged') {
          outcomes.push({ ...base, ...seen, result: 'unchanged', after: seen.before, reason: decision.reason })
        } else if (command.dryRun) {
          outcomes.push({ ...base, ...seen, result: 'would', after: decision.to, reason: null })
        } else {
          write ??= (await iamIn(await deps.writeSession(), accountId, options.remediation.memberRoleName, options.roleSessionName, mask)).iam
          await act(write, command.verb, live!)
          log.info(`${command.verb}: ${keyId} of ${live!.userName} (${decision.from} -> ${decision.to}), asked by ${comment.author}`)
          outcomes.push({ ...base, ...seen, result: 'done', after: decision.to, reason: null })
        }
      } catch (err) {
        // Nothing is retried against a key that may have changed: the rest are not attempted.
        const message = errorMessage(err)
        outcomes.push({ ...base, userName: null, result: 'failed', before: null, after: null, lastUsedAt: null, lastUsedService: null, reason: message })
        stopped = `not attempted: ${keyId} failed first (${message})`
      }
    }
  }
  const acted = outcomes.some((o) => o.result === 'done')
  let replyError: string | null = null
  try {
    await reply(remediationReply({ requester: comment.author, accountId, outcomes, errors: [], runUrl: deps.runUrl }))
  } catch (err) {
    // Keys were changed: the record, the rescan, SNS and the output must still follow.
    if (!acted) throw err
    replyError = `the reply could not be posted (${errorMessage(err)})`
  }
  return acted
    ? { kind: 'acted', accountId, outcomes, requester: comment.author, own, replyError }
    : { kind: 'answered', accountId, outcomes }
}

/** The live facts with what the checks need: the account, and whether the user is exempt now. */
async function liveKey(read: IAMClient, facts: LiveKeyFacts, accountId: string, options: ActionOptions, now: Date): Promise<LiveKey> {
  let exemptReason: string | null = null
  if (!facts.isRoot) {
    const pattern = matchingPattern(facts.userName, options.exemptions.userPatterns)
    if (pattern) exemptReason = `exempt-users ${pattern}`
    else if (options.exemptions.tagKey) {
      const tags = await readUserTag(read, [facts.userName], options.exemptions.tagKey, 1)
      const reading = readExemptTag(options.exemptions.tagKey, tags.get(facts.userName), now)
      if (reading.exempt) exemptReason = reading.reason
    }
  }
  return {
    accessKeyId: facts.accessKeyId,
    accountId,
    userName: facts.userName,
    isRoot: facts.isRoot,
    // A root key is refused before its status matters.
    status: facts.status ?? 'Active',
    createdAt: facts.createdAt ?? new Date(0),
    lastUsedAt: facts.lastUsedAt,
    lastUsedService: facts.lastUsedService,
    exemptReason
  }
}

async function act(iam: IAMClient, verb: RemediationVerb, key: LiveKey): Promise<void> {
  if (verb === 'deactivate') await setKeyStatus(iam, key.userName, key.accessKeyId, 'Inactive')
  else if (verb === 'reactivate') await setKeyStatus(iam, key.userName, key.accessKeyId, 'Active')
  else await deleteKey(iam, key.userName, key.accessKeyId)
}

export type { RemediationCommand }
