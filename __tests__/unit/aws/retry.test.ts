// aws-sdk-client-mock replaces `send`, so the SDK's retry middleware never runs under it.
// Here a real client (createIamClient: adaptive retry, 8 attempts) talks to a fake HTTP
// handler that answers with IAM's own XML, so retries are observed on the wire.
import { Readable } from 'node:stream'
import { GenerateCredentialReportCommand, ListUsersCommand, type IAMClient } from '@aws-sdk/client-iam'
import { describe, expect, it } from '@jest/globals'
import { createIamClient } from '../../../src/aws/iam-client.js'
import { inventoryFromApi } from '../../../src/aws/inventory.js'
import { silentLogger } from '../../../src/core/logger.js'

const NS = 'https://iam.amazonaws.com/doc/2010-05-08/'

interface FakeResponse {
  statusCode: number
  headers: Record<string, string>
  body: Readable
}

interface SeenRequest {
  method: string
  hostname: string
  body: string
}

const LIST_USERS_OK = `<ListUsersResponse xmlns="${NS}">
  <ListUsersResult>
    <IsTruncated>false</IsTruncated>
    <Users>
      <member>
        <Path>/</Path>
        <UserName>alice</UserName>
        <UserId>AIDAEXAMPLEALICE0001</UserId>
        <Arn>arn:aws:iam::123456789012:user/alice</Arn>
        <CreateDate>2026-01-02T03:04:05Z</CreateDate>
      </member>
    </Users>
  </ListUsersResult>
  <ResponseMetadata><RequestId>req-ok</RequestId></ResponseMetadata>
</ListUsersResponse>`

function errorXml(type: 'Sender' | 'Receiver', code: string, message: string): string {
  return `<ErrorResponse xmlns="${NS}"><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>req-err</RequestId></ErrorResponse>`
}

function xml(statusCode: number, body: string): FakeResponse {
  return {
    statusCode,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': `req-${statusCode}` },
    body: Readable.from([Buffer.from(body)])
  }
}

/** A request handler answering with the given responses in order; records every request. */
function fakeHandler(responses: (() => FakeResponse)[]) {
  const seen: SeenRequest[] = []
  return {
    seen,
    handler: {
      metadata: { handlerProtocol: 'http/1.1' },
      async handle(request: { method: string; hostname: string; body?: unknown }) {
        seen.push({ method: request.method, hostname: request.hostname, body: String(request.body ?? '') })
        const next = responses[seen.length - 1]
        if (!next) throw new Error(`unexpected request #${seen.length}`)
        return { response: next() }
      },
      updateHttpClientConfig() {},
      httpHandlerConfigs() {
        return {}
      }
    }
  }
}

function clientWith(handler: ReturnType<typeof fakeHandler>['handler']): IAMClient {
  const client = createIamClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret-example' }
  })
  // The test seam: the resolved config's handler is what every send() uses.
  ;(client.config as { requestHandler: unknown }).requestHandler = handler
  return client
}

// One throttle costs 1 to 2 s: adaptive mode turns on its client-side rate limiter
// (0.5 requests/s to start) after a throttling answer. That is the real behaviour.
const RETRY_TEST_TIMEOUT = 15_000

describe('IAM client retries (createIamClient, adaptive mode)', () => {
  it('is configured for adaptive retry with 8 attempts', async () => {
    const client = createIamClient({ region: 'us-east-1' })
    expect(await client.config.maxAttempts()).toBe(8)
    expect((await client.config.retryStrategy()) as { mode?: string }).toMatchObject({ mode: 'adaptive' })
  })

  it('does not retry LimitExceeded (too many credential report tasks): the existing report is used instead', async () => {
    const { seen, handler } = fakeHandler([
      () => xml(409, errorXml('Sender', 'LimitExceeded', 'Too many report tasks')),
      () => xml(200, '<GenerateCredentialReportResponse/>')
    ])
    await expect(clientWith(handler).send(new GenerateCredentialReportCommand({}))).rejects.toMatchObject({
      name: 'LimitExceededException'
    })
    expect(seen).toHaveLength(1)
  })

  it('retries Throttling (HTTP 400, Sender) and then succeeds', async () => {
    const { seen, handler } = fakeHandler([
      () => xml(400, errorXml('Sender', 'Throttling', 'Rate exceeded')),
      () => xml(200, LIST_USERS_OK)
    ])
    const out = await clientWith(handler).send(new ListUsersCommand({}))
    expect(seen).toHaveLength(2)
    expect(seen[0].body).toContain('Action=ListUsers')
    expect(seen[1].body).toBe(seen[0].body)
    expect(out.Users?.map((u) => u.UserName)).toEqual(['alice'])
    expect(out.$metadata.attempts).toBe(2)
  }, RETRY_TEST_TIMEOUT)

  it('retries a 503 (ServiceUnavailable) and then succeeds', async () => {
    const { seen, handler } = fakeHandler([
      () => xml(503, errorXml('Receiver', 'ServiceUnavailable', 'Service is unavailable')),
      () => xml(200, LIST_USERS_OK)
    ])
    const out = await clientWith(handler).send(new ListUsersCommand({}))
    expect(seen).toHaveLength(2)
    expect(out.Users?.map((u) => u.UserName)).toEqual(['alice'])
    expect(out.$metadata.attempts).toBe(2)
  }, RETRY_TEST_TIMEOUT)

  it('retries a 500 and a 503 in a row, then succeeds on the third attempt', async () => {
    const { seen, handler } = fakeHandler([
      () => xml(500, errorXml('Receiver', 'ServiceFailure', 'Internal failure')),
      () => xml(503, errorXml('Receiver', 'ServiceUnavailable', 'Service is unavailable')),
      () => xml(200, LIST_USERS_OK)
    ])
    const out = await clientWith(handler).send(new ListUsersCommand({}))
    expect(seen).toHaveLength(3)
    expect(out.$metadata.attempts).toBe(3)
  }, RETRY_TEST_TIMEOUT)

  it('does not retry AccessDenied (403): the handler is called exactly once', async () => {
    const { seen, handler } = fakeHandler([
      () =>
        xml(
          403,
          errorXml(
            'Sender',
            'AccessDenied',
            'User: arn:aws:iam::123456789012:user/ci is not authorized to perform: iam:ListUsers'
          )
        ),
      () => xml(200, LIST_USERS_OK)
    ])
    const err = await clientWith(handler)
      .send(new ListUsersCommand({}))
      .then(
        () => null,
        (e: unknown) => e as { name: string; message: string; $metadata: { httpStatusCode?: number; attempts?: number } }
      )
    expect(seen).toHaveLength(1)
    expect(err).not.toBeNull()
    expect(err?.name).toBe('AccessDenied')
    expect(err?.message).toBe('User: arn:aws:iam::123456789012:user/ci is not authorized to perform: iam:ListUsers')
    expect(err?.$metadata.httpStatusCode).toBe(403)
    expect(err?.$metadata.attempts).toBe(1)
  })

  it('AccessDenied through the inventory: one request, and the error names iam:ListUsers', async () => {
    const { seen, handler } = fakeHandler([
      () => xml(403, errorXml('Sender', 'AccessDenied', 'not authorized to perform: iam:ListUsers'))
    ])
    await expect(
      inventoryFromApi(clientWith(handler), {
        dataSource: 'api',
        policy: { maxKeyAgeDays: 90, warnKeyAgeDays: null, maxUnusedDays: null },
        now: new Date('2026-11-24T12:00:00Z'),
        concurrency: 4,
        log: silentLogger
      })
    ).rejects.toThrow(
      'iam:ListUsers was denied (AccessDenied: not authorized to perform: iam:ListUsers). Grant iam:ListUsers to the credentials the action uses.'
    )
    expect(seen).toHaveLength(1)
  })
})
