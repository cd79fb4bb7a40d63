// The runner's OIDC token, fetched with a deadline, against a local token service.
import { afterEach, describe, expect, it } from '@jest/globals'
import { createServer, type Server, type ServerResponse } from 'node:http'
import { fetchIdToken } from '../../../src/action/id-token.js'
import { RequestTimeoutError } from '../../../src/core/deadline.js'
import { listenLocally } from '../helpers.js'

let server: Server | null = null
const held: ServerResponse[] = []

afterEach(async () => {
  for (const res of held.splice(0)) res.destroy()
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
  server = null
})

/** A token service answering with `answer`; 'hang' holds the request unanswered. */
async function tokenService(answer: 'hang' | { status: number; body: string }) {
  const seen: { audience: string | null; authorization?: string }[] = []
  server = createServer((req, res) => {
    seen.push({ audience: new URL(req.url ?? '/', 'http://x').searchParams.get('audience'), authorization: req.headers.authorization })
    if (answer === 'hang') return void held.push(res)
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body)
  })
  const root = await listenLocally(server)
  const env = { ACTIONS_ID_TOKEN_REQUEST_URL: `${root}/token?api-version=2.0`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'req-token' }
  return { env, seen }
}

describe('fetchIdToken', () => {
  it('asks for the audience with the runner\'s bearer, as core.getIDToken does', async () => {
    const { env, seen } = await tokenService({ status: 200, body: JSON.stringify({ value: 'the.jwt.token' }) })
    expect(await fetchIdToken('sts.amazonaws.com', 5_000, env)).toBe('the.jwt.token')
    expect(seen).toEqual([{ audience: 'sts.amazonaws.com', authorization: 'Bearer req-token' }])
  })

  it("keeps core's wording of a refusal, with the status the OIDC exchange reads", async () => {
    const { env } = await tokenService({ status: 500, body: '{"message":"try again"}' })
    await expect(fetchIdToken('sts.amazonaws.com', 5_000, env)).rejects.toThrow(/Error Code : 500/)
  })

  it('cuts a token service that does not answer at the deadline', async () => {
    const { env } = await tokenService('hang')
    const started = Date.now()
    const err = await fetchIdToken('sts.amazonaws.com', 300, env).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(RequestTimeoutError)
    expect((err as RequestTimeoutError).timeoutMs).toBe(300)
    // Cut, not waited on: core's client would have waited three minutes.
    expect(Date.now() - started).toBeLessThan(30_000)
  })
})
