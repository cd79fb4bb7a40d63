// A local stand-in for the GitHub REST issues endpoints the action uses, with GitHub's status
// codes: 201 on create, 403 for a token without issues: write, 404, 422 for a body over 65,536.
// Tokens are installation tokens (like the default GITHUB_TOKEN: GET /user answers 403, GraphQL's
// viewer and issue authors are github-actions[bot]) unless listed in `personalTokens`.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { afterEach } from '@jest/globals'
import {
  ACTIONS_BOT,
  githubAuthenticatedUser,
  githubComment,
  githubError,
  githubIssue,
  githubLabel,
  githubPermission,
  type FakeComment,
  type FakeIssue,
  type Place
} from './github-objects.js'
import { sharedGitHubValidator } from './github-openapi.js'

export interface FakeGitHub {
  url: string
  issues: FakeIssue[]
  labels: Set<string>
  /** `METHOD path` of every request. */
  requests: string[]
  /** The User-Agent of each request, in the same order. */
  userAgents: string[]
  /** Requests with this token get 403 "Resource not accessible by integration". */
  readOnlyToken: string
  /** Personal access tokens and their user's login: GET /user names them. */
  personalTokens: Record<string, string>
  /** Logins that can be assigned issues in the repository (GET /repos/{o}/{r}/assignees/{login}: 204, else 404). */
  assignable: Set<string>
  /** Each login's role on the repository (GET collaborators/{login}/permission); unlisted: read. */
  roles: Record<string, 'admin' | 'maintain' | 'write' | 'triage' | 'read'>
  /** An issue opened by someone else (default: the user `octocat`), numbered as GitHub would. */
  addIssue(fields: Partial<FakeIssue> & { title: string; body: string }): FakeIssue
  /** A comment on an issue, by `user` (default: the user `octocat`), with GitHub's next id. */
  addComment(issue: FakeIssue, body: string, user?: FakeComment['user']): FakeComment
  /**
   * Hold issue creations until `count` are waiting, then make them all (in arrival order)
   * before answering any: concurrent runs have all listed before any issue exists. Released
   * after 10 s whatever arrived, so a broken test fails instead of hanging.
   */
  holdCreates(count: number): void
  /** What GitHub's OpenAPI description finds wrong in a request or an answer; fails the test. */
  violations: string[]
  /** Faults for the next requests, first matching rule first (see GitHubFault). */
  faults: GitHubFault[]
  close(): Promise<void>
}

/**
 * `hang`: the request is held unanswered until the client gives up. `rate-limit`: GitHub's
 * primary rate limit answer (403 or 429, x-ratelimit-remaining: 0, a reset `resetInSeconds` ahead).
 */
export interface GitHubFault {
  fault: 'hang' | 'rate-limit'
  /** How many requests get it; Infinity: all. */
  times: number
  status?: 403 | 429
  resetInSeconds?: number
  /** Set when answered: the x-ratelimit-reset sent (seconds since the epoch). */
  resetAt?: number
}

/** Answers the request with a fault, or returns false to let it through. */
function injectFault(faults: GitHubFault[], res: ServerResponse): boolean {
  const rule = faults.find((f) => f.times > 0)
  if (!rule) return false
  rule.times--
  if (rule.fault === 'hang') return true
  rule.resetAt = Math.floor(Date.now() / 1000) + (rule.resetInSeconds ?? 300)
  res.writeHead(rule.status ?? 403, {
    'content-type': 'application/json',
    'x-ratelimit-limit': '1000',
    'x-ratelimit-remaining': '0',
    'x-ratelimit-reset': String(rule.resetAt)
  })
  res.end(JSON.stringify({ message: 'API rate limit exceeded for installation ID 1.', status: String(rule.status ?? 403) }))
  return true
}

const BODY_MAX = 65_536
/** GitHub also refuses a body over 256 KiB, whatever its characters (measured by others: 262,144 bytes). */
const BODY_MAX_BYTES = 262_144

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  // Joined as bytes, then decoded: a character split across two chunks must not become two U+FFFD.
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const text = Buffer.concat(chunks).toString('utf8')
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
    userAgents: [],
    readOnlyToken: 'read-only-token',
    personalTokens: { 'personal-token': 'sec-automation' },
    assignable: new Set(),
    roles: {},
    addIssue: (fields) => {
      const issue: FakeIssue = {
        number: nextNumber(),
        state: 'open',
        state_reason: null,
        labels: [],
        assignees: [],
        comments: [],
        user: { login: 'octocat', type: 'User' },
        created_at: now(),
        ...fields
      }
      state.issues.push(issue)
      return issue
    },
    addComment: (issue, body, user = { login: 'octocat', type: 'User' }) => {
      const at = now()
      const comment: FakeComment = { id: nextCommentId++, body, user, created_at: at, updated_at: at }
      issue.comments.push(comment)
      return comment
    },
    holdCreates: (count) => {
      held = { count, waiting: [] }
      setTimeout(release, 10_000).unref()
    },
    violations: [],
    faults: [],
    close: async () => {}
  }
  const openapi = sharedGitHubValidator()
  const place: Place = { api: '', web: 'https://github.example', owner, repo }
  const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')
  let nextCommentId = 1_000_001
  const nextNumber = () => Math.max(state.issues.length, ...state.issues.map((i) => i.number)) + 1
  let held: { count: number; waiting: (() => void)[] } | null = null
  const release = () => {
    const waiting = held?.waiting ?? []
    held = null
    for (const go of waiting) go()
  }
  /** The account a token acts as. */
  const author = (req: IncomingMessage): NonNullable<FakeIssue['user']> => {
    const token = /^(?:token|bearer) (.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? ''
    const login = state.personalTokens[token]
    return login ? { login, type: 'User' } : ACTIONS_BOT
  }
  const prefix = `/repos/${owner}/${repo}`
  const toJson = (issue: FakeIssue) => githubIssue(issue, place)

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    state.requests.push(`${req.method} ${url.pathname}`)
    state.userAgents.push(req.headers['user-agent'] ?? '')
    const sent = await readJson(req)
    const check = (problems: string[]) => state.violations.push(...problems.map((p) => `${req.method} ${url.pathname}: ${p}`))
    // GraphQL is described by GitHub's GraphQL schema, not the REST one: the viewer query below
    // is the only one answered, and anything else is an error there.
    const graphql = url.pathname === '/graphql'
    if (!graphql) check(openapi.checkRequest(req.method!, url.pathname, url.searchParams, req.headers, sent))
    // A fault answers before GitHub would look at the request (a hang has no answer to check).
    if (injectFault(state.faults, res)) return
    const send = (status: number, data: unknown, headers: Record<string, string> = {}) => {
      // A 204 has no body, so no content type.
      const all: Record<string, string> = data === undefined ? { ...headers } : { 'content-type': 'application/json; charset=utf-8', ...headers }
      const text = data === undefined ? '' : JSON.stringify(data)
      if (!graphql) check(openapi.checkResponse(req.method!, url.pathname, status, all, text ? JSON.parse(text) : undefined))
      res.writeHead(status, all)
      res.end(text)
    }
    // GraphQL is a POST that only reads here.
    const write = req.method !== 'GET' && url.pathname !== '/graphql'
    if (write && req.headers.authorization === `token ${state.readOnlyToken}`) {
      return send(403, githubError(403, 'Resource not accessible by integration', 'issues/issues#create-an-issue'))
    }
    const body = sent ?? {}
    const tooLong =
      typeof body.body === 'string' && ([...body.body].length > BODY_MAX || Buffer.byteLength(body.body) > BODY_MAX_BYTES)
    if (tooLong) {
      return send(
        422,
        githubError(422, 'Validation Failed', 'issues/issues#create-an-issue', [
          { resource: 'Issue', code: 'custom', field: 'body', message: 'body is too long (maximum is 65536 characters)' }
        ])
      )
    }

    // GitHub refuses the whole write when an assignee cannot be assigned in the repository.
    const unassignable = Array.isArray(body.assignees)
      ? (body.assignees as string[]).filter((a) => ![...state.assignable].some((ok) => ok.toLowerCase() === a.toLowerCase()))
      : []
    if (unassignable.length) {
      return send(
        422,
        githubError(422, 'Validation Failed', 'issues/issues#create-an-issue', [
          { resource: 'Issue', code: 'invalid', field: 'assignees', value: unassignable[0] }
        ])
      )
    }
    if (req.method === 'GET' && url.pathname === '/user') {
      const user = author(req)
      if (user.type === 'Bot') {
        return send(403, githubError(403, 'Resource not accessible by integration', 'users/users#get-the-authenticated-user'))
      }
      return send(200, githubAuthenticatedUser(user.login, place))
    }
    if (req.method === 'POST' && url.pathname === '/graphql') {
      const query = String(body.query ?? '')
      if (!/^\s*(query\s*)?{\s*viewer\s*{\s*login\s*}\s*}\s*$/.test(query)) {
        state.violations.push(`POST /graphql: the stand-in answers only { viewer { login } }, not ${JSON.stringify(query)}`)
        return send(200, { errors: [{ message: 'unsupported query' }] })
      }
      return send(200, { data: { viewer: { login: author(req).login } } })
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
      const create = () => {
        const issue = state.addIssue({
          title: String(body.title),
          body: String(body.body ?? ''),
          labels: (body.labels as string[]) ?? [],
          assignees: (body.assignees as string[]) ?? [],
          user: author(req)
        })
        return () => send(201, toJson(issue))
      }
      if (!held) return create()()
      const waiting = held.waiting
      const answered = new Promise<void>((resolve) => waiting.push(resolve))
      if (waiting.length >= held.count) release()
      await answered
      // Every held creation is made before the first answer goes out.
      const answer = create()
      await new Promise((resolve) => setImmediate(resolve))
      return answer()
    }
    const collaborator = new RegExp(`^${prefix}/collaborators/([^/]+)/permission$`).exec(url.pathname)
    if (req.method === 'GET' && collaborator) {
      const login = decodeURIComponent(collaborator[1]!)
      return send(200, githubPermission(login, state.roles[login] ?? 'read', place))
    }
    const assignee = new RegExp(`^${prefix}/assignees/([^/]+)$`).exec(url.pathname)
    if (req.method === 'GET' && assignee) {
      const login = decodeURIComponent(assignee[1]!).toLowerCase()
      const can = [...state.assignable].some((a) => a.toLowerCase() === login)
      return can ? send(204, undefined) : send(404, githubError(404, 'Not Found', 'issues/assignees#check-if-a-user-can-be-assigned'))
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
    if (issue && req.method === 'GET' && !one![2]) return send(200, toJson(issue))
    if (issue && req.method === 'PATCH' && !one![2]) {
      if (typeof body.title === 'string') issue.title = body.title
      if (typeof body.body === 'string') issue.body = body.body
      if (body.state === 'open' || body.state === 'closed') issue.state = body.state
      if (typeof body.state_reason === 'string') issue.state_reason = body.state_reason
      if (Array.isArray(body.assignees)) issue.assignees = body.assignees as string[]
      return send(200, toJson(issue))
    }
    if (issue && req.method === 'POST' && one![2]) {
      const comment = state.addComment(issue, String(body.body), author(req))
      return send(201, githubComment(issue, comment, place))
    }
    if (issue && req.method === 'GET' && one![2]) {
      // Oldest first, as GitHub lists them; `since` keeps those updated at or after it.
      const since = Date.parse(url.searchParams.get('since') ?? '') || 0
      const perPage = Number(url.searchParams.get('per_page') ?? 30)
      const page = Number(url.searchParams.get('page') ?? 1)
      const matching = issue.comments.filter((c) => Date.parse(c.updated_at) >= since)
      const headers: Record<string, string> = {}
      if (page * perPage < matching.length) {
        const next = new URL(url.toString())
        next.searchParams.set('page', String(page + 1))
        headers.link = `<${state.url}${next.pathname}${next.search}>; rel="next"`
      }
      return send(200, matching.slice((page - 1) * perPage, page * perPage).map((c) => githubComment(issue, c, place)), headers)
    }
    const byId = new RegExp(`^${prefix}/issues/comments/(\\d+)$`).exec(url.pathname)
    if (byId) {
      const owner = state.issues.find((i) => i.comments.some((c) => c.id === Number(byId[1])))
      const comment = owner?.comments.find((c) => c.id === Number(byId[1]))
      if (!owner || !comment) return send(404, githubError(404, 'Not Found', 'issues/comments#get-an-issue-comment'))
      if (req.method === 'GET') return send(200, githubComment(owner, comment, place))
      if (req.method === 'PATCH') {
        comment.body = String(body.body)
        comment.updated_at = now()
        return send(200, githubComment(owner, comment, place))
      }
      if (req.method === 'DELETE') {
        owner.comments = owner.comments.filter((c) => c !== comment)
        return send(204, undefined)
      }
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
  state.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections() // held (hung) requests too
      server.close(() => resolve())
    })
  return state
}
