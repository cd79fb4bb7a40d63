import { GenerateCredentialReportCommand, GetCredentialReportCommand, type IAMClient } from '@aws-sdk/client-iam'
import { withContentInOnePiece } from './credential-report-body.js'
import { AwsCallError, call, isLimitExceeded } from './errors.js'
import type { Logger } from '../core/model.js'

export interface CredentialReportPolling {
  /** Total time to wait for the report to become COMPLETE. */
  maxWaitMs?: number
  firstDelayMs?: number
  maxDelayMs?: number
  sleep?: (ms: number) => Promise<void>
}

export interface FetchedCredentialReport {
  csv: string
  generatedAt: Date | null
  /** GenerateCredentialReport answered LimitExceeded and the existing report was used. */
  reusedExisting: boolean
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * GenerateCredentialReport until COMPLETE (AWS reuses a report younger than four hours),
 * then GetCredentialReport. LimitExceeded means too many report tasks are running
 * account-wide: use whatever report exists instead of waiting.
 */
export async function fetchCredentialReport(
  iam: IAMClient,
  log: Logger,
  options: CredentialReportPolling = {}
): Promise<FetchedCredentialReport> {
  const { maxWaitMs = 120_000, firstDelayMs = 300, maxDelayMs = 5_000, sleep = defaultSleep } = options
  let waited = 0
  let delay = firstDelayMs
  let reusedExisting = false
  for (;;) {
    let state: string | undefined
    try {
      state = (await iam.send(new GenerateCredentialReportCommand({}))).State
    } catch (err) {
      if (isLimitExceeded(err)) {
        log.warning('GenerateCredentialReport answered LimitExceeded; using the existing credential report')
        reusedExisting = true
        break
      }
      throw new AwsCallError('iam:GenerateCredentialReport', err)
    }
    if (state === 'COMPLETE') break
    if (waited + delay > maxWaitMs) {
      throw new Error(`the credential report was still ${state ?? 'not ready'} after ${Math.round(waited / 1000)} s`)
    }
    log.debug(`credential report ${state}; polling again in ${delay} ms`)
    await sleep(delay)
    waited += delay
    delay = Math.min(delay * 2, maxDelayMs)
  }
  const out = await call('iam:GetCredentialReport', () => iam.send(withContentInOnePiece(new GetCredentialReportCommand({}))))
  if (!out.Content) throw new Error('GetCredentialReport returned no content')
  return { csv: new TextDecoder().decode(out.Content), generatedAt: out.GeneratedTime ?? null, reusedExisting }
}
