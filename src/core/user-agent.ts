// Who called, for whoever reads the other side's records: CloudTrail keeps each AWS call's
// user agent (`userAgent`), GitHub's audit log each request's. `iam-key-sentry/0.1.0
// github-run/1234567890` tells an auditor that a call came from this action, which version,
// and which workflow run, as configure-aws-credentials names itself in its STS calls.
import pkg from '../../package.json' with { type: 'json' }

export const PRODUCT = 'iam-key-sentry'

/** package.json's version, embedded in the bundle when it is built (ncc keeps only this field). */
export const VERSION: string = pkg.version

/**
 * [name, version] pairs, as the AWS SDK's `customUserAgent` takes them: the product, and on a
 * runner the workflow run (GITHUB_RUN_ID, digits; anything else is left out rather than sent).
 */
export function userAgentPairs(env: NodeJS.ProcessEnv): [string, string][] {
  const pairs: [string, string][] = [[PRODUCT, VERSION]]
  const runId = env.GITHUB_RUN_ID?.trim()
  if (runId && /^\d+$/.test(runId)) pairs.push(['github-run', runId])
  return pairs
}

/** The same as one header value: `iam-key-sentry/0.1.0 github-run/1234567890`. */
export function userAgent(env: NodeJS.ProcessEnv): string {
  return userAgentPairs(env)
    .map(([name, version]) => `${name}/${version}`)
    .join(' ')
}
