import type { GetCredentialReportCommand, GetCredentialReportCommandInput, GetCredentialReportCommandOutput } from '@aws-sdk/client-iam'
import type { DeserializeHandlerOutput, DeserializeMiddleware } from '@smithy/types'

const OPEN = '<Content>'
const CLOSE = '</Content>'

/**
 * GetCredentialReport's answer with its Content (the whole report, base64) in a CDATA section.
 * The SDK's XML parser (@aws-sdk/xml-builder) builds a text node one character at a time: at
 * 5,000 users that is a string of 1.7 million pieces, about 58 MB of heap at once for a 1.3 MB
 * report, and the action's peak memory. A CDATA section it reads with one slice. Base64 has
 * neither `]]>` nor entities, so the value is the same; anything else is left as it is.
 */
export function contentAsCdata(xml: string): string {
  const open = xml.indexOf(OPEN)
  const close = open === -1 ? -1 : xml.indexOf(CLOSE, open)
  if (close === -1) return xml
  const start = open + OPEN.length
  const text = xml.slice(start, close)
  if (!/^[A-Za-z0-9+/=\s]*$/.test(text)) return xml
  return `${xml.slice(0, start)}<![CDATA[${text}]]>${xml.slice(close)}`
}

async function bytesOf(body: unknown): Promise<Uint8Array> {
  if (body instanceof Uint8Array) return body
  const chunks: Uint8Array[] = []
  for await (const chunk of body as AsyncIterable<Uint8Array>) chunks.push(chunk)
  return Buffer.concat(chunks)
}

/**
 * The raw answer, before the SDK's deserializer reads it (successful answers only: errors are
 * the SDK's to read), with its Content as CDATA (contentAsCdata).
 */
const cdataMiddleware: DeserializeMiddleware<GetCredentialReportCommandInput, GetCredentialReportCommandOutput> = (next) => async (args) => {
  const result: DeserializeHandlerOutput<GetCredentialReportCommandOutput> = await next(args)
  const response = result.response as { statusCode?: number; body?: unknown }
  if (response.statusCode !== 200 || response.body == null) return result
  response.body = new TextEncoder().encode(contentAsCdata(new TextDecoder().decode(await bytesOf(response.body))))
  return result
}

/** The command, reading its report's Content in one piece (contentAsCdata). */
export function withContentInOnePiece(command: GetCredentialReportCommand): GetCredentialReportCommand {
  command.middlewareStack.addRelativeTo(cdataMiddleware, {
    relation: 'after',
    toMiddleware: 'deserializerMiddleware',
    name: 'iamKeySentryCredentialReportCdata'
  })
  return command
}
