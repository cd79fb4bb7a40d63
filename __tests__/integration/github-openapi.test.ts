// The checker that holds the GitHub stand-in and the action to GitHub's OpenAPI description.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startFakeGitHub, throwOpenApiViolations, type FakeGitHub } from './support/github-api.js'
import { githubComment, githubError, githubIssue, githubLabel, type FakeIssue } from './support/github-objects.js'
import { createGitHubValidator, specLoadMs, type GitHubValidator } from './support/github-openapi.js'

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' }
const NO_QUERY = new URLSearchParams()
const place = { api: 'http://127.0.0.1:1', web: 'https://github.example', owner: 'o', repo: 'r' }
const stored: FakeIssue = {
  number: 1,
  title: 'IAM Key Sentry: 2 stale access keys in account 123456789012',
  body: 'text',
  state: 'open',
  state_reason: null,
  labels: ['security'],
  assignees: ['sec-lead'],
  comments: [{ id: 7, body: 'done', user: { login: 'github-actions[bot]', type: 'Bot' }, created_at: '2026-01-05T09:00:00Z', updated_at: '2026-01-05T09:00:00Z' }]
}

let github: GitHubValidator
beforeAll(() => {
  github = createGitHubValidator()
  console.log(`GitHub's description read in ${specLoadMs} ms`)
})

const request = (method: string, path: string, body?: unknown, query = NO_QUERY) =>
  github.checkRequest(method, path, query, body === undefined ? {} : JSON_HEADERS, body)
const answer = (method: string, path: string, status: number, body: unknown) =>
  github.checkResponse(method, path, status, JSON_HEADERS, body)

describe('requests', () => {
  it('takes a correct create-issue', () => {
    expect(request('POST', '/repos/o/r/issues', { title: 't', body: 'b', labels: ['a', 'b'], assignees: ['x'] })).toEqual([])
  })

  it('takes null where GitHub says nullable (OpenAPI 3.0)', () => {
    expect(request('POST', '/repos/o/r/issues', { title: 't', assignee: null, milestone: null })).toEqual([])
    expect(request('PATCH', '/repos/o/r/issues/1', { body: null, state: 'closed', state_reason: 'completed' })).toEqual([])
  })

  it('rejects a create-issue with a mistyped field', () => {
    expect(request('POST', '/repos/o/r/issues', { title: 't', labels: 'x' })).toEqual(['body /labels: must be array'])
  })

  it('rejects a field GitHub does not take there, which it would silently drop', () => {
    expect(request('POST', '/repos/o/r/issues', { title: 't', state_reason: 'completed' })).toEqual([
      'body: GitHub has no field "state_reason" here'
    ])
  })

  it('rejects a missing required field and a missing body', () => {
    expect(request('POST', '/repos/o/r/issues', { body: 'b' })).toEqual(['body: required field "title" missing'])
    expect(request('POST', '/repos/o/r/issues')).toEqual(['body: required, none sent'])
  })

  it('rejects a value outside an enum', () => {
    expect(request('PATCH', '/repos/o/r/issues/1', { state: 'done' })).toEqual([
      'body /state: "done" is not one of "open", "closed"'
    ])
  })

  it('rejects an endpoint or a method GitHub does not have', () => {
    expect(request('GET', '/repos/o/r/nonexistent')).toEqual(['GitHub has no endpoint GET /repos/o/r/nonexistent'])
    expect(request('DELETE', '/repos/o/r/issues')).toEqual([
      'GitHub has no DELETE on /repos/{owner}/{repo}/issues (it has GET, POST)'
    ])
  })

  it('checks path and query parameters', () => {
    expect(request('PATCH', '/repos/o/r/issues/one', { state: 'closed' })).toEqual([
      'path parameter "issue_number": "one" is not an integer'
    ])
    const query = new URLSearchParams({ state: 'open', labels: 'security', per_page: '100', page: '2' })
    expect(request('GET', '/repos/o/r/issues', undefined, query)).toEqual([])
    expect(request('GET', '/repos/o/r/issues', undefined, new URLSearchParams({ state: 'shut', label: 'x' }))).toEqual([
      'query: GitHub has no parameter "label" here',
      'query parameter "state": "shut" is not one of open, closed, all'
    ])
  })

  it('routes a literal segment before a parameter', () => {
    // /repos/{owner}/{repo}/issues/comments is an endpoint of its own, not issue "comments".
    expect(request('GET', '/repos/o/r/issues/comments')).toEqual([])
  })
})

describe('answers', () => {
  it('rejects a 201 issue without the fields GitHub always sends', () => {
    const partial: Record<string, unknown> = githubIssue(stored, place)
    delete partial.user
    delete partial.created_at
    expect(answer('POST', '/repos/o/r/issues', 201, partial)).toEqual([
      'answer 201: required field "user" missing',
      'answer 201: required field "created_at" missing'
    ])
  })

  it("takes the stand-in's issue, label, comment and errors as they are", () => {
    expect(answer('POST', '/repos/o/r/issues', 201, githubIssue(stored, place))).toEqual([])
    expect(answer('GET', '/repos/o/r/issues', 200, [githubIssue({ ...stored, pull_request: true }, place)])).toEqual([])
    expect(answer('PATCH', '/repos/o/r/issues/1', 200, githubIssue({ ...stored, state: 'closed', state_reason: 'completed' }, place))).toEqual([])
    expect(answer('POST', '/repos/o/r/labels', 201, githubLabel('security', place, 'b60205'))).toEqual([])
    const comment = githubComment(stored, stored.comments[0]!, place)
    expect(answer('POST', '/repos/o/r/issues/1/comments', 201, comment)).toEqual([])
    expect(answer('GET', '/repos/o/r/issues/1/comments', 200, [comment])).toEqual([])
    expect(answer('GET', '/repos/o/r/issues/comments/7', 200, comment)).toEqual([])
    expect(answer('PATCH', '/repos/o/r/issues/comments/7', 200, comment)).toEqual([])
    expect(answer('DELETE', '/repos/o/r/issues/comments/7', 204, undefined)).toEqual([])
    const exists = githubError(422, 'Validation Failed', 'issues/labels#create-a-label', [{ resource: 'Label', code: 'already_exists', field: 'name' }])
    expect(answer('POST', '/repos/o/r/labels', 422, exists)).toEqual([])
  })

  it('rejects a wrong type and a 422 without documentation_url', () => {
    expect(answer('POST', '/repos/o/r/issues', 201, { ...githubIssue(stored, place), number: '1' })).toEqual([
      'answer 201 /number: must be integer'
    ])
    expect(answer('POST', '/repos/o/r/labels', 422, { message: 'Validation Failed', errors: [{ code: 'already_exists' }] })).toEqual([
      'answer 422: required field "documentation_url" missing'
    ])
  })

  it('takes an undocumented error status with a basic error, not an undocumented success', () => {
    // GitHub lists 201, 404 and 422 for create-label, yet answers 403 to a read-only token.
    expect(answer('POST', '/repos/o/r/labels', 403, githubError(403, 'Resource not accessible by integration', 'x'))).toEqual([])
    expect(answer('POST', '/repos/o/r/labels', 403, { message: 42 })).toEqual(['answer 403 /message: must be string'])
    expect(answer('POST', '/repos/o/r/labels', 200, githubLabel('security', place))).toEqual([
      'answer: status 200 is not documented for issues/create-label (documented: 201, 404, 422)'
    ])
  })
})

describe('the stand-in with the checker', () => {
  let stand: FakeGitHub
  beforeAll(async () => {
    stand = await startFakeGitHub('o', 'r')
  })
  afterAll(async () => {
    await stand?.close()
  })

  it('records what a request gets wrong (the test then fails after it)', async () => {
    const response = await fetch(`${stand.url}/repos/o/r/issues`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'token t' },
      body: JSON.stringify({ title: 't', milestone: true, state_reason: 'completed' })
    })
    expect(response.status).toBe(201)
    // Taken here so that the shared afterEach does not fail this test for them.
    expect(stand.violations.splice(0)).toEqual([
      'POST /repos/o/r/issues: body: GitHub has no field "state_reason" here',
      'POST /repos/o/r/issues: body /milestone: must be string',
      'POST /repos/o/r/issues: body /milestone: must be integer'
    ])
  })

  it('fails the test after which a finding is left', () => {
    stand.violations.push('GET /x: GitHub has no endpoint GET /x', 'GET /x: GitHub has no endpoint GET /x')
    expect(() => throwOpenApiViolations()).toThrow("GitHub's OpenAPI description says:\nGET /x: GitHub has no endpoint GET /x")
    expect(stand.violations).toEqual([])
  })
})
