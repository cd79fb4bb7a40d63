import { PublishCommand, SNSClient } from '@aws-sdk/client-sns'
import { clientOptions, type AwsClientConfig } from '../aws/clients.js'
import { AwsCallError } from '../aws/errors.js'
import type { SnsMessage } from '../render/sns-message.js'

/** A topic to publish to, and the region its ARN names: a topic in eu-west-1 is published to there. */
export interface SnsTopic {
  arn: string
  region: string
}

/** Built here, not in aws/clients.ts: the SNS SDK is loaded only when a run publishes (main.ts imports this sink on demand). */
export function createSnsClient(config: AwsClientConfig): SNSClient {
  return new SNSClient(clientOptions(config))
}

export async function publishReport(sns: SNSClient, topicArn: string, message: SnsMessage): Promise<string> {
  try {
    const out = await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Subject: message.subject,
        Message: message.message,
        MessageStructure: 'json',
        MessageAttributes: message.attributes
      })
    )
    return out.MessageId ?? ''
  } catch (err) {
    throw new AwsCallError(`sns:Publish on ${topicArn}`, err)
  }
}
