// The workflow's OIDC token, asked of the runner as @actions/core's getIDToken asks for it (the
// same URL and bearer, through @actions/http-client, which honours the runner's proxy), but with
// a deadline: core's client waits three minutes on a silent connection and retries ten times, so
// a hung token service would hold the step for half an hour.
import { HttpClient, HttpClientError } from '@actions/http-client'
import { BearerCredentialHandler } from '@actions/http-client/lib/auth'
import { RequestTimeoutError } from '../core/deadline.js'
import { userAgent } from '../core/user-agent.js'

/**
 * One request for a token with this audience. Errors keep core's wording (`Error Code : 500`),
 * which the OIDC exchange reads to tell a refusal from a passing fault.
 */
export async function fetchIdToken(audience: string, timeoutMs: number, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const base = env.ACTIONS_ID_TOKEN_REQUEST_URL
  const bearer = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN
  if (!base || !bearer) throw new Error('ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set')
  const client = new HttpClient(userAgent(env), [new BearerCredentialHandler(bearer)], {
    allowRetries: false, // retried, with backoff and a bound, by the OIDC exchange
    socketTimeout: timeoutMs
  })
  try {
    const res = await client.getJson<{ value?: string }>(`${base}&audience=${encodeURIComponent(audience)}`)
    const token = res.result?.value
    if (!token) throw new Error('Response json body do not have ID Token field')
    return token
  } catch (err) {
    if (err instanceof HttpClientError) {
      throw new Error(`Failed to get ID Token. Error Code : ${err.statusCode} Error Message: ${err.message}`)
    }
    // http-client's own timeout: "Request timeout: <path>". Other failures may arrive as strings.
    const message = err instanceof Error ? err.message : String(err)
    if (/^Request timeout/.test(message)) throw new RequestTimeoutError('the OIDC token request', timeoutMs)
    throw err instanceof Error ? err : new Error(message)
  } finally {
    client.dispose()
  }
}
