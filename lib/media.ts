/**
 * Dish photos in AWS (functions/core/photos.ts): a private media bucket, served at /media/* by the
 * same CloudFront distribution (Origin Access Control, like the apps bucket), written by managers'
 * browsers through presigned POSTs to uploads/* (signed by the staff-admin function, whose role may
 * put objects there and nowhere else) and by the `media` function, which reads uploads/*, writes the
 * resized copies to media/* and deletes the upload.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, HttpMethods, ObjectOwnership, type IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { PlatoFunctions } from './functions.ts';

export function createMediaBucket(scope: Construct, props: { prod: boolean; logsBucket: IBucket }): Bucket {
  return new Bucket(scope, 'Media', {
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    encryption: BucketEncryption.S3_MANAGED,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    serverAccessLogsBucket: props.logsBucket,
    serverAccessLogsPrefix: 's3-media/',
    // An upload that was never committed (the manager closed the page) is gone the next day.
    lifecycleRules: [{ prefix: 'uploads/', expiration: Duration.days(1) }],
    // The browser POSTs the file to the bucket's own address. Any origin: the signed policy is the
    // authorization (one key, one type, a size range, 5 minutes), and no cookie is sent or read. The
    // distribution's domain cannot be named here: the distribution depends on this bucket.
    cors: [{ allowedMethods: [HttpMethods.POST], allowedOrigins: ['*'], allowedHeaders: ['*'], maxAge: 3600 }],
    ...(props.prod ? { removalPolicy: RemovalPolicy.RETAIN } : { removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true }),
  });
}

/** Environment and permissions of the functions whose routes or task use the media bucket. */
export function grantMedia(functions: PlatoFunctions, bucket: IBucket): void {
  const resizer = [...functions.groups].find(([, spec]) => spec.needs.media === 'resize');
  if (!resizer) throw new Error('functions/routes.ts has no task with needs.media "resize"');
  const resizeFn = functions.fn(resizer[0]);
  for (const [group, spec] of functions.groups) {
    const fn = functions.fn(group);
    if (spec.needs.media === 'resize') {
      fn.addEnvironment('MEDIA_BUCKET', bucket.bucketName);
      fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:GetObject', 's3:DeleteObject'], resources: [bucket.arnForObjects('uploads/*')] }));
      fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:PutObject'], resources: [bucket.arnForObjects('media/*')] }));
    } else if (spec.needs.media === 'sign') {
      fn.addEnvironment('MEDIA_BUCKET', bucket.bucketName);
      fn.addEnvironment('MEDIA_UPLOAD_URL', `https://${bucket.bucketRegionalDomainName}/`);
      fn.addEnvironment('MEDIA_RESIZE_FUNCTION', resizeFn.functionName);
      // A presigned POST acts with the signer's permissions: this role may put uploads, nothing else.
      fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:PutObject'], resources: [bucket.arnForObjects('uploads/*')] }));
      fn.addToRolePolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [resizeFn.functionArn] }));
    }
  }
}
