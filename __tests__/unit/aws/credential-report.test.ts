import {
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  IAMClient,
  LimitExceededException
} from '@aws-sdk/client-iam'
import { afterAll, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { mockClient } from 'aws-sdk-client-mock'
import { fetchCredentialReport } from '../../../src/aws/credential-report.js'
import { silentLogger } from '../../../src/core/logger.js'
import { awsError, fakeLog } from '../helpers.js'

const iamMock = mockClient(IAMClient)
const iam = new IAMClient({ region: 'us-east-1' })

const CSV =
  'user,arn,user_creation_time,access_key_1_active,access_key_1_last_rotated\n' +
  'alice,arn:aws:iam::123456789012:user/alice,2026-01-01T00:00:00+00:00,true,2026-01-02T00:00:00+00:00\n'
const GENERATED = new Date('2026-11-24T11:58:00Z')

function fakeSleep() {
  return jest.fn<(ms: number) => Promise<void>>().mockResolvedValue(undefined)
}

/** GenerateCredentialReport answers these states in order (the last one repeats). */
function generateStates(...states: ('STARTED' | 'INPROGRESS' | 'COMPLETE')[]) {
  let n = 0
  iamMock.on(GenerateCredentialReportCommand).callsFake(() => {
    const State = states[Math.min(n, states.length - 1)]
    n += 1
    return { State, Description: `report ${State}` }
  })
}

function reportContent(csv = CSV) {
  iamMock
    .on(GetCredentialReportCommand)
    .resolves({ Content: new TextEncoder().encode(csv), ReportFormat: 'text/csv', GeneratedTime: GENERATED })
}

beforeEach(() => {
  iamMock.reset()
})

afterAll(() => {
  iamMock.restore()
})

describe('fetchCredentialReport', () => {
  it('polls STARTED -> INPROGRESS -> COMPLETE with a doubling delay, then decodes the report', async () => {
    generateStates('STARTED', 'INPROGRESS', 'COMPLETE')
    reportContent()
    const sleep = fakeSleep()
    const log = fakeLog()

    const got = await fetchCredentialReport(iam, log, { sleep })

    expect(got).toEqual({ csv: CSV, generatedAt: GENERATED, reusedExisting: false })
    expect(typeof got.csv).toBe('string')
    expect(sleep.mock.calls).toEqual([[300], [600]])
    expect(iamMock.commandCalls(GenerateCredentialReportCommand)).toHaveLength(3)
    expect(iamMock.commandCalls(GetCredentialReportCommand)).toHaveLength(1)
    expect(log.debug.mock.calls).toEqual([
      ['credential report STARTED; polling again in 300 ms'],
      ['credential report INPROGRESS; polling again in 600 ms']
    ])
    expect(log.warning).not.toHaveBeenCalled()
  })

  it('caps the delay at maxDelayMs', async () => {
    generateStates('STARTED', 'INPROGRESS', 'INPROGRESS', 'INPROGRESS', 'INPROGRESS', 'COMPLETE')
    reportContent()
    const sleep = fakeSleep()

    await fetchCredentialReport(iam, silentLogger, { sleep, firstDelayMs: 200, maxDelayMs: 1000 })

    expect(sleep.mock.calls).toEqual([[200], [400], [800], [1000], [1000]])
    expect(iamMock.commandCalls(GenerateCredentialReportCommand)).toHaveLength(6)
  })

  it('does not sleep when the report is COMPLETE at once', async () => {
    generateStates('COMPLETE')
    reportContent()
    const sleep = fakeSleep()

    const got = await fetchCredentialReport(iam, silentLogger, { sleep })

    expect(got.reusedExisting).toBe(false)
    expect(sleep).not.toHaveBeenCalled()
    expect(iamMock.commandCalls(GenerateCredentialReportCommand)).toHaveLength(1)
  })

  it('on LimitExceeded uses the existing report without polling', async () => {
    iamMock
      .on(GenerateCredentialReportCommand)
      .rejects(new LimitExceededException({ message: 'Too many report tasks', $metadata: { httpStatusCode: 409 } }))
    reportContent()
    const sleep = fakeSleep()
    const log = fakeLog()

    const got = await fetchCredentialReport(iam, log, { sleep })

    expect(got).toEqual({ csv: CSV, generatedAt: GENERATED, reusedExisting: true })
    expect(sleep).not.toHaveBeenCalled()
    expect(iamMock.commandCalls(GenerateCredentialReportCommand)).toHaveLength(1)
    expect(iamMock.commandCalls(GetCredentialReportCommand)).toHaveLength(1)
    expect(log.warning.mock.calls).toEqual([
      ['GenerateCredentialReport answered LimitExceeded; using the existing credential report']
    ])
  })

  it('on LimitExceeded after some polling stops polling and uses the existing report', async () => {
    let n = 0
    iamMock.on(GenerateCredentialReportCommand).callsFake(() => {
      n += 1
      if (n === 1) return { State: 'STARTED' }
      throw awsError('LimitExceeded', 'Too many report tasks')
    })
    reportContent()
    const sleep = fakeSleep()

    const got = await fetchCredentialReport(iam, silentLogger, { sleep })

    expect(got.reusedExisting).toBe(true)
    expect(sleep.mock.calls).toEqual([[300]])
    expect(iamMock.commandCalls(GenerateCredentialReportCommand)).toHaveLength(2)
  })

  it('bounds the wait by maxWaitMs and says how long it waited', async () => {
    generateStates('STARTED', 'INPROGRESS')
    reportContent()
    const sleep = fakeSleep()

    // 300 + 600 + 1200 = 2100 ms slept; the next 2400 ms would pass 3000.
    await expect(fetchCredentialReport(iam, silentLogger, { sleep, maxWaitMs: 3000 })).rejects.toHaveProperty('message', 'the credential report was still INPROGRESS after 2 s')
    expect(sleep.mock.calls).toEqual([[300], [600], [1200]])
    expect(iamMock.commandCalls(GenerateCredentialReportCommand)).toHaveLength(4)
    expect(iamMock.commandCalls(GetCredentialReportCommand)).toHaveLength(0)
  })

  it('never sleeps past maxWaitMs in total', async () => {
    generateStates('INPROGRESS')
    const sleep = fakeSleep()

    await expect(
      fetchCredentialReport(iam, silentLogger, { sleep, maxWaitMs: 10_000, firstDelayMs: 1000, maxDelayMs: 3000 })
    ).rejects.toThrow('the credential report was still INPROGRESS after 9 s')
    // 1000 + 2000 + 3000 + 3000 = 9000; one more 3000 would make 12000.
    expect(sleep.mock.calls).toEqual([[1000], [2000], [3000], [3000]])
    const total = sleep.mock.calls.reduce((sum, [ms]) => sum + ms, 0)
    expect(total).toBeLessThanOrEqual(10_000)
  })

  it('names iam:GenerateCredentialReport when it is denied', async () => {
    iamMock
      .on(GenerateCredentialReportCommand)
      .rejects(awsError('AccessDenied', 'not authorized to perform: iam:GenerateCredentialReport'))
    reportContent()
    const sleep = fakeSleep()

    await expect(fetchCredentialReport(iam, silentLogger, { sleep })).rejects.toThrow(
      'iam:GenerateCredentialReport was denied (AccessDenied: not authorized to perform: iam:GenerateCredentialReport). ' +
        'Grant iam:GenerateCredentialReport to the credentials the action uses.'
    )
    await expect(fetchCredentialReport(iam, silentLogger, { sleep })).rejects.toMatchObject({
      name: 'AwsCallError',
      permission: 'iam:GenerateCredentialReport'
    })
    expect(sleep).not.toHaveBeenCalled()
    expect(iamMock.commandCalls(GetCredentialReportCommand)).toHaveLength(0)
  })

  it('names iam:GenerateCredentialReport for other failures too, without calling them denied', async () => {
    iamMock.on(GenerateCredentialReportCommand).rejects(awsError('ServiceFailure', 'internal error'))

    await expect(fetchCredentialReport(iam, silentLogger, { sleep: fakeSleep() })).rejects.toHaveProperty('message', 'iam:GenerateCredentialReport failed (ServiceFailure: internal error)')
  })

  it('names iam:GetCredentialReport when reading the report is denied', async () => {
    generateStates('COMPLETE')
    iamMock.on(GetCredentialReportCommand).rejects(awsError('AccessDenied', 'no'))

    await expect(fetchCredentialReport(iam, silentLogger, { sleep: fakeSleep() })).rejects.toThrow(
      'iam:GetCredentialReport was denied (AccessDenied: no). Grant iam:GetCredentialReport to the credentials the action uses.'
    )
  })

  it('fails clearly when GetCredentialReport has no content', async () => {
    generateStates('COMPLETE')
    iamMock.on(GetCredentialReportCommand).resolves({ GeneratedTime: GENERATED })

    await expect(fetchCredentialReport(iam, silentLogger, { sleep: fakeSleep() })).rejects.toHaveProperty('message', 'GetCredentialReport returned no content')
  })

  it('gives generatedAt null when AWS omits GeneratedTime', async () => {
    generateStates('COMPLETE')
    iamMock.on(GetCredentialReportCommand).resolves({ Content: new TextEncoder().encode(CSV) })

    const got = await fetchCredentialReport(iam, silentLogger, { sleep: fakeSleep() })

    expect(got).toEqual({ csv: CSV, generatedAt: null, reusedExisting: false })
  })
})
