// Every AWS client the action builds cuts an attempt that gets no answer (or whose body
// stalls) at the deadline and retries it; a call that keeps hanging gives up after 3 cut
// attempts, saying it timed out. Real clients and their real HTTP handler, against a local
// server; IAM_KEY_SENTRY_REQUEST_TIMEOUT_MS shortens the 30 s deadline to 200 ms.
import { createServer, type Server } from 'node:http'
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { ListUsersCommand } from '@aws-sdk/client-iam'
import { ListAccountsCommand } from '@aws-sdk/client-organizations'
import { PublishCommand } from '@aws-sdk/client-sns'
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts'
import { createStsClient } from '../../../src/aws/clients.js'
import { createIamClient } from '../../../src/aws/iam-client.js'
import { createOrganizationsClient } from '../../../src/aws/organization.js'
import { createSnsClient } from '../../../src/sinks/sns.js'
import { call } from '../../../src/aws/errors.js'
import { listenLocally } from '../helpers.js'

const LIST_USERS_OK = `<ListUsersResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
  <ListUsersResult><IsTruncated>false</IsTruncated><Users>
    <member><Path>/</Path><UserName>alice</UserName><UserId>AIDAEXAMPLEALICE0001</UserId>
      <Arn>arn:aws:iam::123456789012:user/alice</Arn><CreateDate>2026-01-02T03:04:05Z</CreateDate></member>
  </Users></ListUsersResult>
  <ResponseMetadata><RequestId>req-ok</RequestId></ResponseMetadata>
</ListUsersResponse>`

const CALLER_OK = `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/auditor</Arn><UserId>AIDAEXAMPLE</UserId><Account>123456789012</Account></GetCallerIdentityResult>
  <ResponseMetadata><RequestId>req-ok</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>`

/** `hang`: no answer; `stall`: headers and half a body, then nothing; else the XML to answer. */
type Answer = 'hang' | 'stall' | string

describe('deadlines on AWS calls', () => {
  let server: Server
  let answers: Answer[] = []
  let requests = 0
  const saved = { ...process.env }
  const config = { region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret-example' } }

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume()
      req.on('end', () => {
        requests++
        const answer = answers.shift() ?? 'hang'
        if (answer === 'hang') return
        res.writeHead(200, { 'content-type': 'text/xml' })
        if (answer === 'stall') return void res.write(LIST_USERS_OK.slice(0, 80))
        res.end(answer)
      })
    })
    process.env.AWS_ENDPOINT_URL = await listenLocally(server)
    process.env.IAM_KEY_SENTRY_REQUEST_TIMEOUT_MS = '200'
  })

  afterEach(() => {
    answers = []
    requests = 0
    server.closeAllConnections()
  })

  afterAll(async () => {
    process.env = saved
    await new Promise((resolve) => server.close(resolve))
  })

  it('cuts a hung first attempt and succeeds on the retry (IAM, STS)', async () => {
    answers = ['hang', LIST_USERS_OK, 'hang', CALLER_OK]
    const iam = createIamClient(config)
    const sts = createStsClient(config)
    const users = await iam.send(new ListUsersCommand({}))
    const caller = await sts.send(new GetCallerIdentityCommand({}))
    iam.destroy()
    sts.destroy()
    expect(users.Users?.map((u) => u.UserName)).toEqual(['alice'])
    expect(users.$metadata.attempts).toBe(2)
    expect(caller.Account).toBe('123456789012')
    expect(requests).toBe(4)
  }, 10_000)

  it('cuts a response whose body stops arriving, and succeeds on the retry', async () => {
    answers = ['stall', LIST_USERS_OK]
    const iam = createIamClient(config)
    const users = await iam.send(new ListUsersCommand({}))
    iam.destroy()
    expect(users.Users).toHaveLength(1)
    expect(requests).toBe(2)
  }, 10_000)

  it.each<[string, () => Promise<unknown>]>([
    ['iam:ListUsers', () => createIamClient(config).send(new ListUsersCommand({}))],
    ['sts:GetCallerIdentity', () => createStsClient(config).send(new GetCallerIdentityCommand({}))],
    ['sns:Publish', () => createSnsClient(config).send(new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:123456789012:t', Message: 'm' }))],
    ['organizations:ListAccounts', () => createOrganizationsClient(config).send(new ListAccountsCommand({}))]
  ])('gives up on %s after 3 cut attempts, saying it timed out', async (permission, send) => {
    await expect(call(permission, send)).rejects.toThrow(`${permission} timed out after 0.2 s (no answer to 3 attempts)`)
    expect(requests).toBe(3)
  }, 10_000)
})
