import { GetCredentialReportCommand, IAMClient } from '@aws-sdk/client-iam'
import { describe, expect, it } from '@jest/globals'
import { Readable } from 'node:stream'
import { contentAsCdata, withContentInOnePiece } from '../../../src/aws/credential-report-body.js'

const CSV = 'user,arn\n<root_account>,arn:aws:iam::123456789012:root\nalice,arn:aws:iam::123456789012:user/alice\n'
const BASE64 = Buffer.from(CSV).toString('base64')

const answer = (content: string) =>
  `<GetCredentialReportResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetCredentialReportResult>` +
  `<Content>${content}</Content><ReportFormat>text/csv</ReportFormat><GeneratedTime>2026-11-24T10:00:00Z</GeneratedTime>` +
  `</GetCredentialReportResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCredentialReportResponse>`

/** An IAM client whose every request is answered with `status` and `body`, as IAM's Query protocol would. */
function clientAnswering(status: number, body: string): IAMClient {
  return new IAMClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    requestHandler: {
      handle: async () => ({ response: { statusCode: status, headers: { 'content-type': 'text/xml' }, body: Readable.from([Buffer.from(body)]) } })
    }
  })
}

describe('contentAsCdata', () => {
  it('puts base64 Content in a CDATA section, and nothing else changes', () => {
    const xml = answer(`\n  ${BASE64}\n`)
    expect(contentAsCdata(xml)).toBe(xml.replace(`<Content>\n  ${BASE64}\n</Content>`, `<Content><![CDATA[\n  ${BASE64}\n]]></Content>`))
  })

  it('leaves an answer without Content, or with Content that is not plain base64, as it is', () => {
    expect(contentAsCdata('<ErrorResponse><Error><Code>AccessDenied</Code></Error></ErrorResponse>')).toBe(
      '<ErrorResponse><Error><Code>AccessDenied</Code></Error></ErrorResponse>'
    )
    expect(contentAsCdata(answer('a&amp;b'))).toBe(answer('a&amp;b'))
    expect(contentAsCdata('<Content>no end')).toBe('<Content>no end')
  })
})

describe('withContentInOnePiece', () => {
  it('reads the same report through the SDK', async () => {
    const iam = clientAnswering(200, answer(BASE64))
    // What the deserializer was given: the answer with its Content as CDATA.
    let seen: unknown
    iam.middlewareStack.add(
      (next) => async (args) => {
        const result = await next(args)
        seen = (result.response as { body: unknown }).body
        return result
      },
      { step: 'initialize' }
    )
    const out = await iam.send(withContentInOnePiece(new GetCredentialReportCommand({})))
    expect(new TextDecoder().decode(seen as Uint8Array)).toBe(contentAsCdata(answer(BASE64)))
    expect(contentAsCdata(answer(BASE64))).toContain(`<![CDATA[${BASE64}]]>`)
    expect(new TextDecoder().decode(out.Content)).toBe(CSV)
    expect(out.GeneratedTime).toEqual(new Date('2026-11-24T10:00:00Z'))
    iam.destroy()
  })

  it('leaves an error answer to the SDK', async () => {
    const iam = clientAnswering(
      403,
      '<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not authorized</Message></Error><RequestId>r</RequestId></ErrorResponse>'
    )
    await expect(iam.send(withContentInOnePiece(new GetCredentialReportCommand({})))).rejects.toMatchObject({ name: 'AccessDenied' })
    iam.destroy()
  })
})
