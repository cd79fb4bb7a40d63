// A fault-injecting HTTP proxy in front of moto_server: adds latency, and answers chosen
// AWS actions with throttling, 503, AccessDenied, LimitExceeded, a dropped connection or a
// canned answer, or hang (no answer at all, until the client gives up and closes the connection).
// It also counts every action, so tests and the benchmark can see how many calls were made.
import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http'

export type Fault = 'throttle' | '503' | 'denied' | 'limit-exceeded' | 'drop' | 'hang' | 'sns-denied' | 'reply'

export interface FaultRule {
  /** The query-protocol Action (`ListAccessKeys`, `GenerateCredentialReport`, `Publish`). */
  action: string
  fault: Fault
  /** How many times to inject before passing requests through; Infinity: always. */
  times: number
  /** Only requests whose body contains this text (an account id in a RoleArn, say). */
  match?: string
  /** The answer of the `reply` fault: a state moto cannot hold (an organization of SUSPENDED accounts). */
  reply?: { status?: number; contentType: string; body: string }
}

export interface FaultProxy {
  endpoint: string
  /** Every action that reached the proxy, in order (faulted ones included). */
  actions: string[]
  /** The User-Agent of each of those requests, in the same order: what CloudTrail would record. */
  userAgents: string[]
  /** The body of each of those requests, in the same order (what the action asked). */
  bodies: string[]
  /** When the first request arrived (ms since the epoch); null before any. */
  firstRequestAt: number | null
  /** The actions answered with a fault. */
  injected: string[]
  rules: FaultRule[]
  latencyMs: number
  count(action: string): number
  reset(): void
  close(): Promise<void>
}

function queryError(status: number, code: string, message: string, type = 'Sender'): { status: number; body: string } {
  return {
    status,
    body: `<ErrorResponse><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>`
  }
}

const ANSWERS: Record<Exclude<Fault, 'drop' | 'hang' | 'reply'>, (action: string) => { status: number; body: string }> = {
  throttle: () => queryError(400, 'Throttling', 'Rate exceeded'),
  '503': () => queryError(503, 'ServiceUnavailable', 'Service is unavailable', 'Receiver'),
  denied: (action) =>
    queryError(403, 'AccessDenied', `User: arn:aws:iam::123456789012:user/auditor is not authorized to perform: iam:${action}`),
  'sns-denied': (action) => queryError(403, 'AuthorizationError', `not authorized to perform: SNS:${action}`),
  'limit-exceeded': () => queryError(409, 'LimitExceeded', 'Too many credential report tasks')
}

/** REST-JSON actions (Security Hub), named by method and path: they carry no Action or X-Amz-Target. */
const REST_ACTIONS: Record<string, string> = {
  'POST /findings/import': 'BatchImportFindings',
  'POST /findings': 'GetFindings',
  'PATCH /findings/batchupdate': 'BatchUpdateFindings'
}

/** A REST-JSON error answer, as Security Hub gives one: the error's name in X-Amzn-ErrorType and the body. */
function restJsonDenied(action: string): { status: number; body: string; headers: Record<string, string> } {
  return {
    status: 403,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'AccessDeniedException' },
    body: JSON.stringify({
      __type: 'AccessDeniedException',
      Message: `User: arn:aws:iam::123456789012:user/auditor is not authorized to perform: securityhub:${action}`
    })
  }
}

/**
 * Hop-by-hop headers concern one connection and a proxy must not pass them on (RFC 9110 7.6.1).
 * moto answers `Connection: close`; passed on, it would make every client reconnect for every
 * call, which AWS's endpoints, keeping connections alive, never do.
 */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade'])

function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase())))
}

export async function startFaultProxy(target: string, latencyMs = 0): Promise<FaultProxy> {
  const targetUrl = new URL(target)
  const state = {
    endpoint: '',
    actions: [] as string[],
    userAgents: [] as string[],
    bodies: [] as string[],
    firstRequestAt: null as number | null,
    injected: [] as string[],
    rules: [] as FaultRule[],
    latencyMs,
    count: (action: string) => state.actions.filter((a) => a === action).length,
    reset: () => {
      state.actions.length = 0
      state.userAgents.length = 0
      state.bodies.length = 0
      state.firstRequestAt = null
      state.injected.length = 0
      state.rules.length = 0
    },
    close: async () => {}
  }

  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const upstream = request(
      {
        host: targetUrl.hostname,
        port: targetUrl.port,
        method: req.method,
        path: req.url,
        headers: { ...endToEnd(req.headers), host: targetUrl.host }
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers))
        answer.pipe(res)
      }
    )
    upstream.on('error', () => {
      res.writeHead(502)
      res.end()
    })
    upstream.end(body)
  }

  const server = createServer((req, res) => {
    state.firstRequestAt ??= Date.now()
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      // Query protocol (IAM, STS, SNS): an Action parameter; JSON protocol (Organizations): X-Amz-Target;
      // REST-JSON (Security Hub): the method and path.
      const target = String(req.headers['x-amz-target'] ?? '').split('.').pop()
      const rest = REST_ACTIONS[`${req.method} ${(req.url ?? '').split('?')[0]}`]
      const action = rest ?? new URLSearchParams(body.toString('utf8')).get('Action') ?? (target || `${req.method} ${req.url}`)
      state.actions.push(action)
      state.userAgents.push(req.headers['user-agent'] ?? '')
      state.bodies.push(body.toString('utf8'))
      setTimeout(() => {
        const text = body.toString('utf8')
        const rule = state.rules.find(
          (r) => r.action === action && r.times > 0 && (!r.match || text.includes(encodeURIComponent(r.match)) || text.includes(r.match))
        )
        if (!rule) return forward(req, res, body)
        rule.times--
        state.injected.push(action)
        if (rule.fault === 'drop') {
          req.socket.destroy() // a reset connection, no answer
          return
        }
        if (rule.fault === 'reply') {
          res.writeHead(rule.reply?.status ?? 200, { 'content-type': rule.reply?.contentType ?? 'text/plain' })
          res.end(rule.reply?.body ?? '')
          return
        }
        // Held open: the request is neither answered nor closed (close() ends it).
        if (rule.fault === 'hang') return
        if (rest && rule.fault === 'denied') {
          const denied = restJsonDenied(action)
          res.writeHead(denied.status, denied.headers)
          res.end(denied.body)
          return
        }
        const answer = ANSWERS[rule.fault](action)
        res.writeHead(answer.status, { 'content-type': 'text/xml' })
        res.end(answer.body)
      }, state.latencyMs)
    })
  })
  // Longer than the report poll's longest wait, so a client never reuses a socket as it closes.
  server.keepAliveTimeout = 60_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  state.endpoint = `http://127.0.0.1:${port}`
  state.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
  return state
}
