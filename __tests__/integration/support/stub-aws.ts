// A tiny local AWS endpoint (query protocol: IAM, STS) that records every request and
// answers from a table: enough to watch the built action under denial, with no moto needed.
import { createServer, type Server } from 'node:http'

export interface StubAws {
  endpoint: string
  /** The `Action` of every request received, in order. */
  actions: string[]
  close(): Promise<void>
}

export type StubAnswer = { status: number; body: string }

export function queryError(code: string, message: string, status = 403): StubAnswer {
  return {
    status,
    body: `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>stub</RequestId></ErrorResponse>`
  }
}

export const callerIdentity: StubAnswer = {
  status: 200,
  body: `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::111122223333:user/auditor</Arn><UserId>AIDAEXAMPLE</UserId><Account>111122223333</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>stub</RequestId></ResponseMetadata></GetCallerIdentityResponse>`
}

/** Answer each Action from `answers`; anything else is AccessDenied. */
export async function startStubAws(answers: Record<string, StubAnswer> = {}): Promise<StubAws> {
  const actions: string[] = []
  const server: Server = createServer((req, res) => {
    let body = ''
    req.on('data', (d) => (body += d))
    req.on('end', () => {
      const action = new URLSearchParams(body).get('Action') ?? `${req.method} ${req.url}`
      actions.push(action)
      const answer = answers[action] ?? queryError('AccessDenied', `User is not authorized to perform: ${action}`)
      res.writeHead(answer.status, { 'content-type': 'text/xml' })
      res.end(answer.body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    endpoint: `http://127.0.0.1:${port}`,
    actions,
    close: () => new Promise((resolve) => server.close(() => resolve()))
  }
}
