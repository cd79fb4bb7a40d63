// A stand-in for the runner's OIDC token service (ACTIONS_ID_TOKEN_REQUEST_URL).
import { createServer, type ServerResponse } from 'node:http'

export interface TokenServer {
  env: Record<string, string>
  /** The audience of every request, in order. */
  audiences: string[]
  token: string
  close(): Promise<void>
}

const REQUEST_TOKEN = 'runner-request-token'

/**
 * `failFirst` answers the first N requests with that many HTTP 500s before the token;
 * `hangFirst` holds the first N requests unanswered (until the client gives up, or close()).
 */
export async function startTokenServer(failFirst = 0, hangFirst = 0): Promise<TokenServer> {
  const audiences: string[] = []
  // A JWT-shaped value; moto does not verify it.
  const token = `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify({ sub: 'repo:acme/infra:ref:refs/heads/main' })).toString('base64url')}.c2lnbmF0dXJl`
  let failures = failFirst
  let hangs = hangFirst
  const held: ServerResponse[] = []
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    audiences.push(url.searchParams.get('audience') ?? '')
    if (req.headers.authorization !== `Bearer ${REQUEST_TOKEN}`) {
      res.writeHead(401).end('{"message":"bad request token"}')
    } else if (hangs > 0) {
      hangs--
      held.push(res)
    } else if (failures > 0) {
      failures--
      res.writeHead(500).end('{"message":"try again"}')
    } else {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ value: token }))
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    env: {
      ACTIONS_ID_TOKEN_REQUEST_URL: `http://127.0.0.1:${port}/token?api-version=2.0`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN
    },
    audiences,
    token,
    close: () => {
      for (const res of held) res.destroy()
      return new Promise((resolve) => server.close(() => resolve()))
    }
  }
}
