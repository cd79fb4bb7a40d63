import { describe, expect, it } from '@jest/globals'
import { MAX_RECORD_COMMENTS, readRecordPointer, recordCommentBody, recordPointer } from '../../../src/render/issue-record.js'
import { decodeState, encodeState } from '../../../src/render/issue-state.js'

describe('recordPointer and readRecordPointer', () => {
  it('round-trip the comment ids, in order, and the spare set', () => {
    const pointer = recordPointer({ ids: [300_000_000_001, 7, 42], spare: [5, 6] })
    expect(pointer).toBe('<!-- iam-key-sentry:record-in-comments ids=300000000001,7,42 spare=5,6 -->')
    expect(readRecordPointer(`visible text\n\n${pointer}\n`)).toEqual({ ids: [300_000_000_001, 7, 42], spare: [5, 6] })
    expect(readRecordPointer(recordPointer({ ids: [9], spare: [] }))).toEqual({ ids: [9], spare: [] })
  })

  it('is null for a body without a pointer, and the record tag is not taken for one', () => {
    expect(readRecordPointer('no pointer here')).toBeNull()
    const [state] = encodeState({ accountId: '123456789012', keys: [] })
    expect(readRecordPointer(state!)).toBeNull()
  })

  it('is not read as a state record, so a body with a pointer holds none of its own', () => {
    expect(decodeState([recordPointer({ ids: [1, 2], spare: [] })])).toMatchObject({ ok: false, reason: 'missing' })
  })

  it.each([
    ['an id that is not a number', 'ids=5,x'],
    ['an empty id', 'ids=5,,6'],
    ['a zero or a leading zero', 'ids=0,007'],
    ['an id past 15 digits (not exact in JavaScript)', 'ids=1234567890123456'],
    ['an id twice', 'ids=5,6 spare=6'],
    ['no ids', 'ids= spare=4'],
    ['something else after it', 'ids=5 extra=1']
  ])('is malformed, never "no record", with %s', (_, fields) => {
    expect(readRecordPointer(`<!-- iam-key-sentry:record-in-comments ${fields} -->`)).toBe('malformed')
  })

  it('is malformed with more than MAX_RECORD_COMMENTS ids: that many is not ours', () => {
    const many = Array.from({ length: MAX_RECORD_COMMENTS + 1 }, (_, i) => i + 1)
    expect(readRecordPointer(recordPointer({ ids: many, spare: [] }))).toBe('malformed')
    expect(readRecordPointer(recordPointer({ ids: many.slice(1), spare: [] }))).toEqual({ ids: many.slice(1), spare: [] })
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
