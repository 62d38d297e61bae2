/**
 * The media bucket and the resize function, as the staff functions reach them.
 *
 * In AWS: MEDIA_BUCKET is the stack's media bucket, MEDIA_UPLOAD_URL its regional endpoint, and
 * MEDIA_RESIZE_FUNCTION the `media` function, invoked through the Lambda API. The local runtime points
 * MEDIA_UPLOAD_URL, S3_ENDPOINT and LAMBDA_ENDPOINT at its own S3 and Lambda stand-ins
 * (local/media-store.ts), which speak the same wire protocols, so no function knows where it runs.
 *
 * The presigned POST is signed here (AWS Signature Version 4, the POST-policy form) with the
 * function's own credentials, from the environment Lambda sets: no SDK package is needed for it.
 */
import { createHmac } from 'node:crypto';
import { PHOTO_MAX_BYTES, PHOTO_UPLOAD_SECONDS, type PhotoContentType, type ResizeResult } from '../core/photos.ts';

export interface PresignedPost {
  url: string;
  fields: Record<string, string>;
}

export interface ResizeRequest {
  bucket: string;
  uploadKey: string;
  mediaKey: string;
}

const required = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

export const mediaBucket = (): string => required('MEDIA_BUCKET');

const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

/** The SigV4 signing key of a day, region and service. */
export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
}

/** The signature of a base64 POST policy (shared with the local S3 stand-in, which checks it). */
export const signPolicy = (policyBase64: string, secret: string, date: string, region: string): string =>
  createHmac('sha256', signingKey(secret, date, region, 's3')).update(policyBase64, 'utf8').digest('hex');

const amzDate = (now: Date): string => now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/** A POST policy for exactly one key, of one content type, of 1 byte to PHOTO_MAX_BYTES. */
export function presignPhotoUpload(key: string, contentType: PhotoContentType, now = new Date()): PresignedPost {
  const bucket = mediaBucket();
  const region = required('AWS_REGION');
  const accessKeyId = required('AWS_ACCESS_KEY_ID');
  const secret = required('AWS_SECRET_ACCESS_KEY');
  const token = process.env.AWS_SESSION_TOKEN;
  const date = amzDate(now);
  const credential = `${accessKeyId}/${date.slice(0, 8)}/${region}/s3/aws4_request`;
  const fields: Record<string, string> = {
    key,
    'Content-Type': contentType,
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': credential,
    'X-Amz-Date': date,
    ...(token ? { 'X-Amz-Security-Token': token } : {}),
  };
  const policy = {
    expiration: new Date(now.getTime() + PHOTO_UPLOAD_SECONDS * 1000).toISOString(),
    conditions: [
      { bucket },
      ['content-length-range', 1, PHOTO_MAX_BYTES],
      ...Object.entries(fields).map(([name, value]) => ({ [name]: value })),
    ],
  };
  const encoded = Buffer.from(JSON.stringify(policy), 'utf8').toString('base64');
  fields.Policy = encoded;
  fields['X-Amz-Signature'] = signPolicy(encoded, secret, date.slice(0, 8), region);
  return { url: required('MEDIA_UPLOAD_URL'), fields };
}

let lambdaClient: import('@aws-sdk/client-lambda').LambdaClient | undefined;

/** Runs the resize function and waits for its answer (a few hundred milliseconds for one photo). */
export async function resizePhoto(request: ResizeRequest): Promise<ResizeResult> {
  const { InvokeCommand, LambdaClient } = await import('@aws-sdk/client-lambda');
  const endpoint = process.env.LAMBDA_ENDPOINT;
  lambdaClient ??= new LambdaClient(endpoint ? { endpoint } : {});
  const answer = await lambdaClient.send(
    new InvokeCommand({ FunctionName: required('MEDIA_RESIZE_FUNCTION'), InvocationType: 'RequestResponse', Payload: Buffer.from(JSON.stringify(request)) }),
  );
  const text = answer.Payload ? Buffer.from(answer.Payload).toString('utf8') : '';
  if (answer.FunctionError) throw new Error(`The resize function failed: ${answer.FunctionError} ${text.slice(0, 200)}`);
  return JSON.parse(text) as ResizeResult;
}

let s3Client: import('@aws-sdk/client-s3').S3Client | undefined;

/** The S3 client of the resize function (path-style against the local stand-in). */
export async function mediaS3() {
  const sdk = await import('@aws-sdk/client-s3');
  const endpoint = process.env.S3_ENDPOINT;
  s3Client ??= new sdk.S3Client(
    endpoint ? { endpoint, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' } : {},
  );
  return { sdk, client: s3Client };
}
