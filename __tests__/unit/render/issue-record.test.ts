import { describe, expect, it } from '@jest/globals'
import { MAX_RECORD_COMMENTS, readRecordPointer, recordCommentBody, recordPointer } from '../../../src/render/issue-record.js'
import { decodeState, encodeState } from '../../../src/render/issue-state.js'

describe('recordPointer and readRecordPointer', () => {
  it('round-trip the comment ids, in order', () => {
    const pointer = recordPointer([3_000_000_001, 7, 42])
    expect(pointer).toBe('<!-- iam-key-sentry:record-in-comments ids=3000000001,7,42 -->')
    expect(readRecordPointer(`visible text\n\n${pointer}\n`)).toEqual([3_000_000_001, 7, 42])
  })

  it('is null for a body without a pointer, and the record tag is not taken for one', () => {
    expect(readRecordPointer('no pointer here')).toBeNull()
    const [state] = encodeState({ accountId: '123456789012', keys: [] })
    expect(readRecordPointer(state!)).toBeNull()
  })

  it('is not read as a state record, so a body with a pointer holds none of its own', () => {
    expect(decodeState([recordPointer([1, 2])])).toMatchObject({ ok: false, reason: 'missing' })
  })

  it('keeps only positive ids, each once, and at most MAX_RECORD_COMMENTS of them', () => {
    expect(readRecordPointer('<!-- iam-key-sentry:record-in-comments ids=0,5,,5,007,12 -->')).toEqual([5, 12])
    const many = Array.from({ length: 500 }, (_, i) => i + 1)
    expect(readRecordPointer(recordPointer(many))).toEqual(many.slice(0, MAX_RECORD_COMMENTS))
  })
})

describe('recordCommentBody', () => {
  it('says what it is, in text that mentions and links nothing, and ends with the hidden part', () => {
    const [state] = encodeState({ accountId: '123456789012', keys: [] })
    const body = recordCommentBody('123456789012', 2, 3, state!)
    expect(body).toMatch(/^<sub>IAM Key Sentry keeps its record of account 123456789012 here \(part 2 of 3\)/)
    expect(body).not.toMatch(/@|#\d|https?:/)
    expect(body.endsWith(state!)).toBe(true)
    expect(decodeState([body])).toEqual({ ok: true, state: { accountId: '123456789012', keys: [] } })
  })
})
