// Every AWS client names the action in its user agent, which CloudTrail records for each call:
// the clients' configuration, and the header a real request carries.
import { createServer, type Server } from 'node:http'
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { ListUsersCommand } from '@aws-sdk/client-iam'
import { ListAccountsCommand } from '@aws-sdk/client-organizations'
import { GetFindingsCommand } from '@aws-sdk/client-securityhub'
import { PublishCommand } from '@aws-sdk/client-sns'
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts'
import { createStsClient } from '../../../src/aws/clients.js'
import { createIamClient } from '../../../src/aws/iam-client.js'
import { createOrganizationsClient } from '../../../src/aws/organization.js'
import { createSecurityHubClient } from '../../../src/aws/security-hub-client.js'
import { createSnsClient } from '../../../src/sinks/sns.js'
import { VERSION } from '../../../src/core/user-agent.js'
import { listenLocally } from '../helpers.js'

const config = { region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret-example' } }
const saved = { ...process.env }

describe('AWS clients: the user agent', () => {
  let server: Server
  let seen: { userAgent?: string; amzUserAgent?: string }[] = []

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ userAgent: req.headers['user-agent'], amzUserAgent: String(req.headers['x-amz-user-agent'] ?? '') })
      req.resume()
      // An error answer is enough: the request was made, with its headers.
      req.on('end', () => res.writeHead(400, { 'content-type': 'text/xml' }).end('<ErrorResponse/>'))
    })
    process.env.AWS_ENDPOINT_URL = await listenLocally(server)
    process.env.GITHUB_RUN_ID = '987654321'
  })

  afterEach(() => {
    seen = []
  })

  afterAll(async () => {
    process.env = saved
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })

  const clients = () => [
    [createIamClient(config), new ListUsersCommand({})],
    [createStsClient(config), new GetCallerIdentityCommand({})],
    [createSnsClient(config), new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:123456789012:t', Message: 'm' })],
    [createOrganizationsClient(config), new ListAccountsCommand({})],
    [createSecurityHubClient(config), new GetFindingsCommand({})]
  ] as const

  it('configures every client with iam-key-sentry/<version> and the workflow run', () => {
    for (const [client] of clients()) {
      expect(client.config.customUserAgent).toEqual([
        ['iam-key-sentry', VERSION],
        ['github-run', '987654321']
      ])
    }
  })

  it('sends it in the User-Agent and X-Amz-User-Agent headers of every request', async () => {
    for (const [client, command] of clients()) {
      // @ts-expect-error -- one loop over five clients: each gets its own command
      await client.send(command).catch(() => {})
      client.destroy()
    }
    expect(seen.length).toBeGreaterThanOrEqual(5)
    for (const request of seen) {
      expect(request.userAgent).toContain(`iam-key-sentry/${VERSION} github-run/987654321`)
      expect(request.amzUserAgent).toContain(`iam-key-sentry/${VERSION} github-run/987654321`)
    }
  }, 30_000)
})
