// A local stand-in for the GitHub REST issues endpoints the action uses, with GitHub's status
// codes: 201 on create, 403 for a token without issues: write, 404, 422 for a body over 65,536.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'

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

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = ''
  for await (const chunk of req) text += chunk
  return text ? (JSON.parse(text) as Record<string, unknown>) : {}
}

export async function startFakeGitHub(owner = 'acme', repo = 'infra'): Promise<FakeGitHub> {
  const state: FakeGitHub = {
    url: '',
    issues: [],
    labels: new Set(),
    requests: [],
    readOnlyToken: 'read-only-token',
    faults: [],
    close: async () => {}
  }
  const prefix = `/repos/${owner}/${repo}`
  const toJson = (issue: FakeIssue) => ({
    number: issue.number,
    title: issue.title,
    body: issue.body,
    state: issue.state,
    state_reason: issue.state_reason,
    labels: issue.labels.map((name) => ({ name })),
    assignees: issue.assignees.map((login) => ({ login })),
    html_url: `https://github.example/${owner}/${repo}/issues/${issue.number}`,
    ...(issue.pull_request ? { pull_request: { url: 'x' } } : {})
  })

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    state.requests.push(`${req.method} ${url.pathname}`)
    if (injectFault(state.faults, res)) return
    const send = (status: number, data: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers })
      res.end(JSON.stringify(data))
    }
    const write = req.method !== 'GET'
    if (write && req.headers.authorization === `token ${state.readOnlyToken}`) {
      return send(403, { message: 'Resource not accessible by integration', status: '403' })
    }
    const body = write ? await readJson(req) : {}
    const tooLong = typeof body.body === 'string' && [...body.body].length > BODY_MAX
    if (tooLong) {
      return send(422, {
        message: 'Validation Failed',
        errors: [{ resource: 'Issue', code: 'custom', field: 'body', message: 'body is too long (maximum is 65536 characters)' }]
      })
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
        return send(422, { message: 'Validation Failed', errors: [{ resource: 'Label', code: 'already_exists', field: 'name' }] })
      }
      state.labels.add(name)
      return send(201, { name, color: body.color })
    }
    const one = new RegExp(`^${prefix}/issues/(\\d+)(/comments)?$`).exec(url.pathname)
    const issue = one ? state.issues.find((i) => i.number === Number(one[1])) : undefined
    if (one && !issue) return send(404, { message: 'Not Found' })
    if (issue && req.method === 'PATCH' && !one![2]) {
      if (typeof body.title === 'string') issue.title = body.title
      if (typeof body.body === 'string') issue.body = body.body
      if (body.state === 'open' || body.state === 'closed') issue.state = body.state
      if (typeof body.state_reason === 'string') issue.state_reason = body.state_reason
      return send(200, toJson(issue))
    }
    if (issue && req.method === 'POST' && one![2]) {
      issue.comments.push(String(body.body))
      return send(201, { id: issue.comments.length, body: body.body })
    }
    return send(404, { message: 'Not Found' })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  state.url = `http://127.0.0.1:${port}`
  state.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections() // held (hung) requests too
      server.close(() => resolve())
    })
  return state
}
