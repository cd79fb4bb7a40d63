// The workflow event the action runs on (GITHUB_EVENT_NAME, GITHUB_EVENT_PATH): remediation obeys
// only a new comment on an issue. Read here, once, into what the remediation needs.
import { readFile } from 'node:fs/promises'

/** A comment created on an issue (not a pull request), as the issue_comment event gives it. */
export interface IssueComment {
  commentId: number
  body: string
  /** Who wrote the comment. */
  author: string
  issueNumber: number
}

export type CommentEvent =
  | { kind: 'comment'; comment: IssueComment }
  /** Not a comment to obey: another event, an edited or deleted comment, a pull request's. `why` says which. */
  | { kind: 'ignored'; why: string }
  | { kind: 'unreadable'; error: string }

interface Payload {
  action?: unknown
  comment?: { id?: unknown; body?: unknown; user?: { login?: unknown } | null }
  issue?: { number?: unknown; pull_request?: unknown }
}

/**
 * The comment to obey, from the event the runner wrote. Only `created` counts: editing a comment
 * that was obeyed (or refused) must not run it again with other keys, and deleting one is no
 * request at all.
 */
export async function readCommentEvent(env: Record<string, string | undefined>): Promise<CommentEvent> {
  const name = env.GITHUB_EVENT_NAME ?? ''
  if (name !== 'issue_comment') return { kind: 'ignored', why: `the event is ${name || 'unknown'}, not issue_comment` }
  const path = env.GITHUB_EVENT_PATH
  if (!path) return { kind: 'unreadable', error: 'GITHUB_EVENT_PATH is not set' }
  let payload: Payload
  try {
    payload = JSON.parse(await readFile(path, 'utf8')) as Payload
  } catch (err) {
    return { kind: 'unreadable', error: `the event file ${path} could not be read (${(err as Error).message})` }
  }
  if (payload.action !== 'created') return { kind: 'ignored', why: `the comment was ${String(payload.action)}, and only a new comment is obeyed` }
  if (payload.issue?.pull_request) return { kind: 'ignored', why: 'the comment is on a pull request, not a tracking issue' }
  const { comment, issue } = payload
  const author = comment?.user?.login
  if (
    typeof comment?.id !== 'number' ||
    typeof comment.body !== 'string' ||
    typeof author !== 'string' ||
    typeof issue?.number !== 'number'
  ) {
    return { kind: 'unreadable', error: 'the issue_comment event has no comment id, body, author or issue number' }
  }
  return { kind: 'comment', comment: { commentId: comment.id, body: comment.body, author, issueNumber: issue.number } }
}
