/**
 * Text messages (one-time codes) go through SNS's direct SMS publish: in AWS the function that sends
 * is granted sns:Publish on no topic. The local runtime points `SNS_ENDPOINT` at its own SNS-compatible
 * Publish endpoint, which prints the message and keeps it for a local-only listing
 * (local/sms-outbox.ts), so no function knows where it runs and the message crosses the wire as in AWS.
 */
export interface TextSender {
  /** `to` is E.164, e.g. +919876543210. Resolves once the provider accepted the message. */
  send(to: string, text: string): Promise<void>;
}

let snsClient: import('@aws-sdk/client-sns').SNSClient | undefined;

const snsSender: TextSender = {
  async send(to, text) {
    // Loaded on first use: only the function that sends pays for the client.
    const { PublishCommand, SNSClient } = await import('@aws-sdk/client-sns');
    const endpoint = process.env.SNS_ENDPOINT;
    snsClient ??= new SNSClient(endpoint ? { endpoint } : {});
    await snsClient.send(
      new PublishCommand({
        PhoneNumber: to,
        Message: text,
        MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
      }),
    );
  },
};

export const textSender = (): TextSender => snsSender;
