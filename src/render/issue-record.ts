// Where a tracking issue keeps its record (issue-state.ts) when it is too big for the body: in
// comments the action owns, which the body points to by id. GitHub limits a body and a comment
// to 65,536 characters each; the visible text needs room beside the record, so a record over
// the body's share spills into comments of about 60,000 characters each.
//
// The pointer names the comments by id, so the record is read with one request per part, and a
// comment is only taken when its author is the action's own identity and it belongs to the
// issue (checked by the reader): a record a person pasted in a comment is never read.
//
// Pure: no I/O.

const POINTER_TAG = 'iam-key-sentry:record-in-comments'

/** More ids than this in a pointer is not ours: a record of 10,000 keys takes about 6 parts. */
export const MAX_RECORD_COMMENTS = 20

/** The hidden line the body carries instead of the record. */
export function recordPointer(commentIds: readonly number[]): string {
  return `<!-- ${POINTER_TAG} ids=${commentIds.join(',')} -->`
}

const POINTER = new RegExp(`<!--\\s*${POINTER_TAG.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s+ids=([0-9,]*)\\s*-->`)

/**
 * The comment ids a body points to; null when it holds no pointer (its record, if any, is in
 * the body). At most MAX_RECORD_COMMENTS ids, each a positive integer, each once.
 */
export function readRecordPointer(body: string): number[] | null {
  const m = POINTER.exec(body)
  if (!m) return null
  const ids = m[1]!
    .split(',')
    .filter((s) => /^[1-9]\d{0,15}$/.test(s))
    .map(Number)
  return [...new Set(ids)].slice(0, MAX_RECORD_COMMENTS)
}

/** One part of the record as a comment: a line that says what it is, then the hidden part. */
export function recordCommentBody(accountId: string, part: number, parts: number, stateText: string): string {
  return (
    `<sub>IAM Key Sentry keeps its record of account ${accountId} here (part ${part} of ${parts}): ` +
    'the day each key was first seen, for the next run. It is hidden; please leave this comment as it is.</sub>\n\n' +
    stateText
  )
}
