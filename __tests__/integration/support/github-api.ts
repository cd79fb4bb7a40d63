// A local stand-in for the GitHub REST issues endpoints the action uses, with GitHub's status
// codes: 201 on create, 403 for a token without issues: write, 404, 422 for a body over 65,536.
import { createServer, type IncomingMessage } from 'node:http'
import { afterEach } from '@jest/globals'
import { githubComment, githubError, githubIssue, githubLabel, type Place } from './github-objects.js'
import { sharedGitHubValidator } from './github-openapi.js'

export interface FakeIssue {
  number: number
  title: string
  body: string
  state: 'open' | 'closed'
  state_reason: string | null
  labels: string[]
  assignees: string[]
  comments: string[]
  pull_request?: boolean
}

export interface FakeGitHub {
  url: string
  issues: FakeIssue[]
  labels: Set<string>
  /** `METHOD path` of every request. */
  requests: string[]
  /** Requests with this token get 403 "Resource not accessible by integration". */
  readOnlyToken: string
  /** What GitHub's OpenAPI description finds wrong in a request or an answer; fails the test. */
  violations: string[]
  close(): Promise<void>
}

const BODY_MAX = 65_536

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  let text = ''
  for await (const chunk of req) text += chunk
  return text ? (JSON.parse(text) as Record<string, unknown>) : undefined
}

// Every test that talked to a stand-in fails when GitHub's description found something wrong.
const live = new Set<FakeGitHub>()
export function throwOpenApiViolations(): void {
  const found = new Set([...live].flatMap((github) => github.violations.splice(0)))
  if (found.size) throw new Error(`GitHub's OpenAPI description says:\n${[...found].join('\n')}`)
}
afterEach(throwOpenApiViolations)

export async function startFakeGitHub(owner = 'acme', repo = 'infra'): Promise<FakeGitHub> {
  const state: FakeGitHub = {
    url: '',
    issues: [],
    labels: new Set(),
    requests: [],
    readOnlyToken: 'read-only-token',
    violations: [],
    close: async () => {}
  }
  const openapi = sharedGitHubValidator()
  const prefix = `/repos/${owner}/${repo}`
  const place: Place = { api: '', web: 'https://github.example', owner, repo }
  const toJson = (issue: FakeIssue) => githubIssue(issue, place)

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    state.requests.push(`${req.method} ${url.pathname}`)
    const sent = await readJson(req)
    const check = (problems: string[]) => state.violations.push(...problems.map((p) => `${req.method} ${url.pathname}: ${p}`))
    check(openapi.checkRequest(req.method!, url.pathname, url.searchParams, req.headers, sent))
    const send = (status: number, data: unknown, headers: Record<string, string> = {}) => {
      const all = { 'content-type': 'application/json; charset=utf-8', ...headers }
      const text = data === undefined ? '' : JSON.stringify(data)
      check(openapi.checkResponse(req.method!, url.pathname, status, all, text ? JSON.parse(text) : undefined))
      res.writeHead(status, all)
      res.end(text)
    }
    const write = req.method !== 'GET'
    if (write && req.headers.authorization === `token ${state.readOnlyToken}`) {
      return send(403, githubError(403, 'Resource not accessible by integration', 'issues/issues#create-an-issue'))
    }
    const body = sent ?? {}
    const tooLong = typeof body.body === 'string' && [...body.body].length > BODY_MAX
    if (tooLong) {
      return send(
        422,
        githubError(422, 'Validation Failed', 'issues/issues#create-an-issue', [
          { resource: 'Issue', code: 'custom', field: 'body', message: 'body is too long (maximum is 65536 characters)' }
        ])
      )
    }

    if (req.method === 'GET' && url.pathname === `${prefix}/issues`) {
      const wanted = url.searchParams.get('state') ?? 'open'
      const label = url.searchParams.get('labels')
      const perPage = Number(url.searchParams.get('per_page') ?? 30)
      const page = Number(url.searchParams.get('page') ?? 1)
      const matching = state.issues
        .filter((i) => wanted === 'all' || i.state === wanted)
        .filter((i) => !label || label.split(',').every((l) => i.labels.includes(l)))
        .sort((a, b) => b.number - a.number)
      const slice = matching.slice((page - 1) * perPage, page * perPage)
      const headers: Record<string, string> = {}
      if (page * perPage < matching.length) {
        const next = new URL(url.toString())
        next.searchParams.set('page', String(page + 1))
        headers.link = `<${state.url}${next.pathname}${next.search}>; rel="next"`
      }
      return send(200, slice.map(toJson), headers)
    }
    if (req.method === 'POST' && url.pathname === `${prefix}/issues`) {
      const issue: FakeIssue = {
        number: state.issues.length + 1,
        title: String(body.title),
        body: String(body.body ?? ''),
        state: 'open',
        state_reason: null,
        labels: (body.labels as string[]) ?? [],
        assignees: (body.assignees as string[]) ?? [],
        comments: []
      }
      state.issues.push(issue)
      return send(201, toJson(issue))
    }
    if (req.method === 'POST' && url.pathname === `${prefix}/labels`) {
      const name = String(body.name)
      if (state.labels.has(name)) {
        return send(
          422,
          githubError(422, 'Validation Failed', 'issues/labels#create-a-label', [
            { resource: 'Label', code: 'already_exists', field: 'name' }
          ])
        )
      }
      state.labels.add(name)
      return send(201, githubLabel(name, place, typeof body.color === 'string' ? body.color : undefined))
    }
    const one = new RegExp(`^${prefix}/issues/(\\d+)(/comments)?$`).exec(url.pathname)
    const issue = one ? state.issues.find((i) => i.number === Number(one[1])) : undefined
    if (one && !issue) return send(404, githubError(404, 'Not Found', 'issues/issues#get-an-issue'))
    if (issue && req.method === 'PATCH' && !one![2]) {
      if (typeof body.title === 'string') issue.title = body.title
      if (typeof body.body === 'string') issue.body = body.body
      if (body.state === 'open' || body.state === 'closed') issue.state = body.state
      if (typeof body.state_reason === 'string') issue.state_reason = body.state_reason
      return send(200, toJson(issue))
    }
    if (issue && req.method === 'POST' && one![2]) {
      issue.comments.push(String(body.body))
      return send(201, githubComment(issue, issue.comments.length - 1, place))
    }
    return send(404, githubError(404, 'Not Found', 'rest'))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  state.url = `http://127.0.0.1:${port}`
  place.api = state.url
  state.close = () => {
    live.delete(state)
    return new Promise((resolve) => server.close(() => resolve()))
  }
  live.add(state)
  return state
}
