import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { readCommentEvent } from '../../../src/action/events.js'

const dir = mkdtempSync(join(tmpdir(), 'events-'))
function eventFile(payload: unknown, name = `e-${Math.random().toString(36).slice(2)}.json`): string {
  const path = join(dir, name)
  writeFileSync(path, typeof payload === 'string' ? payload : JSON.stringify(payload))
  return path
}
const created = { action: 'created', comment: { id: 7, body: '/deactivate AKIA', user: { login: 'sec-lead' } }, issue: { number: 3 } }

describe('readCommentEvent', () => {
  it('reads a new comment on an issue: its id, body, author and issue', async () => {
    const event = await readCommentEvent({ GITHUB_EVENT_NAME: 'issue_comment', GITHUB_EVENT_PATH: eventFile(created) })
    expect(event).toEqual({ kind: 'comment', comment: { commentId: 7, body: '/deactivate AKIA', author: 'sec-lead', issueNumber: 3 } })
  })

  it.each([
    ['another event', { GITHUB_EVENT_NAME: 'schedule' }, /the event is schedule, not issue_comment/],
    ['no event at all', {}, /the event is unknown/]
  ])('ignores %s', async (_, env, why) => {
    expect(await readCommentEvent(env)).toEqual({ kind: 'ignored', why: expect.stringMatching(why) })
  })

  it.each([
    ['an edited comment', { ...created, action: 'edited' }, /was edited, and only a new comment is obeyed/],
    ['a deleted comment', { ...created, action: 'deleted' }, /was deleted/],
    ['a comment on a pull request', { ...created, issue: { number: 3, pull_request: { url: 'x' } } }, /pull request/]
  ])('ignores %s', async (_, payload, why) => {
    const event = await readCommentEvent({ GITHUB_EVENT_NAME: 'issue_comment', GITHUB_EVENT_PATH: eventFile(payload) })
    expect(event).toEqual({ kind: 'ignored', why: expect.stringMatching(why) })
  })

  it('says what is wrong with an event it cannot read, never taking it for a command', async () => {
    expect(await readCommentEvent({ GITHUB_EVENT_NAME: 'issue_comment' })).toEqual({ kind: 'unreadable', error: 'GITHUB_EVENT_PATH is not set' })
    const bad = await readCommentEvent({ GITHUB_EVENT_NAME: 'issue_comment', GITHUB_EVENT_PATH: eventFile('{not json') })
    expect(bad).toMatchObject({ kind: 'unreadable', error: expect.stringMatching(/could not be read/) })
    const missing = await readCommentEvent({ GITHUB_EVENT_NAME: 'issue_comment', GITHUB_EVENT_PATH: join(dir, 'nope.json') })
    expect(missing).toMatchObject({ kind: 'unreadable' })
    const partial = await readCommentEvent({ GITHUB_EVENT_NAME: 'issue_comment', GITHUB_EVENT_PATH: eventFile({ action: 'created', comment: { id: 7 } }) })
    expect(partial).toEqual({ kind: 'unreadable', error: 'the issue_comment event has no comment id, body, author or issue number' })
  })
})
