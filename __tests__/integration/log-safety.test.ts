// The built action against an endpoint that answers with a user name no IAM allows (a
// compromised or emulated endpoint does): a line break, then workflow commands. The runner
// obeys a stdout line that starts with `::` (after white space) or holds `##[`; none of the
// hostile payload may reach the log as such a line.
import { afterEach, describe, expect, it } from '@jest/globals'
import { callerIdentity, startStubAws, type StubAws } from './support/stub-aws.js'
import { motoEnv, runAction } from './support/run-action.js'

const NS = 'https://iam.amazonaws.com/doc/2010-05-08/'
const HOSTILE_USER = 'alice\n::error title=owned::pwned\n  ::add-mask::hunter2\n##[warning]legacy\u2028::stop-commands::tok'
const created = new Date(Date.now() - 200 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z')

const ok = (body: string) => ({ status: 200, body })
const listUsers = ok(
  `<ListUsersResponse xmlns="${NS}"><ListUsersResult><IsTruncated>false</IsTruncated><Users><member><Path>/</Path>` +
    `<UserName>${HOSTILE_USER}</UserName><UserId>AIDAEXAMPLE0000000001</UserId>` +
    `<Arn>arn:aws:iam::111122223333:user/${HOSTILE_USER}</Arn><CreateDate>${created}</CreateDate></member></Users>` +
    `</ListUsersResult><ResponseMetadata><RequestId>stub</RequestId></ResponseMetadata></ListUsersResponse>`
)
const listAccessKeys = ok(
  `<ListAccessKeysResponse xmlns="${NS}"><ListAccessKeysResult><IsTruncated>false</IsTruncated><AccessKeyMetadata><member>` +
    `<UserName>${HOSTILE_USER}</UserName><AccessKeyId>AKIAEXAMPLEHOSTILE01</AccessKeyId><Status>Active</Status>` +
    `<CreateDate>${created}</CreateDate></member></AccessKeyMetadata></ListAccessKeysResult>` +
    `<ResponseMetadata><RequestId>stub</RequestId></ResponseMetadata></ListAccessKeysResponse>`
)
const listUserTags = ok(
  `<ListUserTagsResponse xmlns="${NS}"><ListUserTagsResult><IsTruncated>false</IsTruncated><Tags/></ListUserTagsResult>` +
    `<ResponseMetadata><RequestId>stub</RequestId></ResponseMetadata></ListUserTagsResponse>`
)

/** Lines as the runner reads them (.NET ReadLine: \n, \r, \r\n). */
const runnerLines = (text: string) => text.split(/\r\n|\r|\n/)

describe('the built action with text from AWS that holds workflow commands', () => {
  let stub: StubAws | undefined
  afterEach(async () => {
    await stub?.close()
    stub = undefined
  })

  it('logs the user name on one line that is no workflow command', async () => {
    stub = await startStubAws({ GetCallerIdentity: callerIdentity, ListUsers: listUsers, ListAccessKeys: listAccessKeys, ListUserTags: listUserTags })
    const run = await runAction({ 'data-source': 'api', 'fail-on': 'none' }, motoEnv(stub.endpoint))
    expect(run.exitCode).toBe(0)
    const lines = runnerLines(run.stdout)
    // The finding is logged, its name shown with the line breaks escaped, all on one line.
    const finding = lines.filter((l) => l.includes('AKIAEXAMPLEHOSTILE01') || l.includes('AKIA…LE01'))
    expect(finding).toHaveLength(1)
    expect(finding[0]).toContain('alice\\n')
    // The action's own annotations (`::warning::…`) may quote the name: core escapes their data.
    // What must never be is a line that starts with the name's commands, or holds its `##[`.
    for (const line of lines) {
      expect(line).not.toMatch(/^\s*::(error title=owned|add-mask|stop-commands)/)
      expect(line).not.toContain('##[')
    }
    expect(stub.actions).toContain('ListAccessKeys')
  }, 30_000)
})
