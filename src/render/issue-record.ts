// Where a tracking issue keeps its record (issue-state.ts) when it is too big for the body: in
// comments the action owns, which the body points to by id. GitHub limits a body and a comment
// to 65,536 characters each; the visible text needs room beside the record, so a record over
// the body's share spills into comments of about 60,000 characters each.
//
// Two sets of comments take turns: a run writes the set the body does not point to (the spare),
// then points the body to it, and the set it held before becomes the spare. So the record the
// body points to is never half-rewritten, whatever fails part-way; and after the first two
// runs, the comments are only edited (an edit notifies nobody).
//
// The reader takes a comment only when its author is the action's own identity and it belongs to
// the issue: a record a person pasted in a comment is never read, and no one else's comment is
// ever edited or deleted.
//
// Pure: no I/O.

const POINTER_TAG = 'iam-key-sentry:record-in-comments'

/** A record of 10,000 keys with 64-character random names takes about 6 parts: more ids than this is not ours. */
export const MAX_RECORD_COMMENTS = 20

/** The comments holding the record, in part order, and the spare set the next run writes. */
export interface RecordPointer {
  ids: number[]
  spare: number[]
}

/** The hidden line the body carries instead of the record. */
export function recordPointer(pointer: RecordPointer): string {
  const spare = pointer.spare.length ? ` spare=${pointer.spare.join(',')}` : ''
  return `<!-- ${POINTER_TAG} ids=${pointer.ids.join(',')}${spare} -->`
}

const POINTER = new RegExp(`<!--\\s*${POINTER_TAG.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b([\\s\\S]*?)-->`)
const FIELDS = /^\s+ids=([0-9,]+)(?:\s+spare=([0-9,]+))?\s*$/
// GitHub's comment ids are 64-bit; 15 digits stay exact in a JavaScript number.
const ID = /^[1-9]\d{0,14}$/

/**
 * The pointer a body holds: null when it holds none (its record, if any, is in the body), and
 * 'malformed' when a person changed it (an unreadable record, never "no record yet").
 */
export function readRecordPointer(body: string): RecordPointer | 'malformed' | null {
  const m = POINTER.exec(body)
  if (!m) return null
  const fields = FIELDS.exec(m[1]!)
  if (!fields) return 'malformed'
  const list = (text: string | undefined) => (text === undefined ? [] : text.split(','))
  const ids = list(fields[1])
  const spare = list(fields[2])
  const all = [...ids, ...spare]
  if (!all.every((id) => ID.test(id)) || new Set(all).size !== all.length) return 'malformed'
  if (ids.length === 0 || ids.length > MAX_RECORD_COMMENTS || spare.length > MAX_RECORD_COMMENTS) return 'malformed'
  return { ids: ids.map(Number), spare: spare.map(Number) }
}

/** One part of the record as a comment: a line that says what it is, then the hidden part. */
export function recordCommentBody(accountId: string, part: number, parts: number, stateText: string): string {
  return (
    `<sub>IAM Key Sentry keeps its record of account ${accountId} here (part ${part} of ${parts}): ` +
    'the day each key was first seen, for the next run. It is hidden; please leave this comment as it is.</sub>\n\n' +
    stateText
  )
}
