/**
 * Text messages (one-time codes) go through a sender. In AWS it is SNS's direct SMS publish (the
 * function that sends is granted sns:Publish on no topic). The local runtime installs its own sender,
 * which prints the message and keeps it for a local-only endpoint (local/sms-outbox.ts), so no
 * function knows where it runs.
 */
export interface TextSender {
  /** `to` is E.164, e.g. +919876543210. Resolves once the provider accepted the message. */
  send(to: string, text: string): Promise<void>;
}

let installed: TextSender | undefined;

/** Replaces the sender (the local runtime; tests of a provider failure). */
export const useTextSender = (sender: TextSender | undefined): void => {
  installed = sender;
};

const snsSender: TextSender = {
  async send(to, text) {
    // Loaded on first use: only the function that sends pays for the client.
    const { PublishCommand, SNSClient } = await import('@aws-sdk/client-sns');
    snsClient ??= new SNSClient({});
    await snsClient.send(
      new PublishCommand({
        PhoneNumber: to,
        Message: text,
        MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
      }),
    );
  },
};
let snsClient: import('@aws-sdk/client-sns').SNSClient | undefined;

export const textSender = (): TextSender => installed ?? snsSender;
