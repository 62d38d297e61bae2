/**
 * The one public entry: a CloudFront distribution in front of the apps' S3 bucket (Origin Access
 * Control), the HTTP API at /api/* and the WebSocket API at /ws. One origin means no CORS, and the
 * credentials can be HttpOnly SameSite=Strict cookies.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Annotations, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  CachedMethods,
  CacheCookieBehavior,
  CacheHeaderBehavior,
  CacheQueryStringBehavior,
  Distribution,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestCookieBehavior,
  OriginRequestHeaderBehavior,
  OriginRequestPolicy,
  OriginRequestQueryStringBehavior,
  OriginSslPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
  type BehaviorOptions,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { ORIGIN_VERIFY_HEADER, VIEWER_IP_HEADER } from '../functions/http/origin.ts';
import { HTTP_ROUTES } from '../functions/routes.ts';
import type { PlatoSettings } from './settings.ts';
import { contentSecurityPolicy } from './csp.ts';
import { SPA_ROUTING_CODE } from './spa-routing.ts';
import { createMediaBucket } from './media.ts';
import { VIEWER_IP_CODE } from './viewer-ip.ts';
import type { PublicConfig } from '../web/shared/public-config.ts';

/**
 * The CSP the distribution sends: with a custom domain its wss origin is named; without one the
 * distribution's own domain is not known before it exists (the policy is part of it), and 'self'
 * (same-origin wss in CSP Level 3) is the only connect source.
 */
export const contentSecurityPolicyOf = (settings: Pick<PlatoSettings, 'domain'>, uploadOrigin: string): string =>
  contentSecurityPolicy(settings.domain ? `wss://${settings.domain}` : undefined, uploadOrigin);

/** /config.json for this restaurant. */
export const publicConfigOf = (settings: PlatoSettings): PublicConfig => ({
  restaurantId: settings.slug,
  name: settings.restaurantName,
  currency: settings.currency,
  locale: settings.locale,
  timeZone: settings.timeZone,
  apiBase: '/api',
  wsUrl: '/ws',
});

export interface WebDistributionProps {
  settings: PlatoSettings;
  /** `<apiId>.execute-api.<region>.amazonaws.com` of each API. */
  httpApiDomain: string;
  webSocketApiDomain: string;
  /**
   * The origin-verify secret as a CloudFormation dynamic reference: CloudFront adds it as
   * ORIGIN_VERIFY_HEADER to every request it sends to either API.
   */
  originVerifyValue: string;
  /** web/dist (the built apps); deployed only if it exists. */
  webDistDir: string;
  /** The WAF web ACL (CLOUDFRONT scope) in front of everything; none only when the WAF is off. */
  webAclArn?: string;
}

export class WebDistribution extends Construct {
  readonly bucket: Bucket;
  readonly logsBucket: Bucket;
  readonly mediaBucket: Bucket;
  readonly distribution: Distribution;
  /** `https://<custom domain or distribution domain>`, no trailing slash. */
  readonly publicOrigin: string;
  readonly deploysApps: boolean;

  constructor(scope: Construct, id: string, props: WebDistributionProps) {
    super(scope, id);
    const { settings } = props;
    const prod = settings.stage === 'prod';
    const removal = prod ? { removalPolicy: RemovalPolicy.RETAIN } : { removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true };

    // S3 server access logs and CloudFront standard logs. CloudFront's log delivery writes with
    // ACLs, hence BUCKET_OWNER_PREFERRED (ACLs allowed, objects owned by this account).
    this.logsBucket = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(Math.max(settings.logRetentionDays, 1)) }],
      ...removal,
    });

    this.bucket = new Bucket(this, 'Apps', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logsBucket,
      serverAccessLogsPrefix: 's3/',
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30) }],
      ...removal,
    });

    // Dish photos (lib/media.ts): served at /media/*, uploaded straight to the bucket.
    this.mediaBucket = createMediaBucket(this, { prod, logsBucket: this.logsBucket });

    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: `Plato ${settings.slug}: security headers`,
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: contentSecurityPolicyOf(settings, `https://${this.mediaBucket.bucketRegionalDomainName}`), override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        contentTypeOptions: { override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
      },
    });

    const spaRouting = new CloudFrontFunction(this, 'SpaRouting', {
      comment: 'Maps /, /kitchen and /staff routes to the apps index.html',
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(SPA_ROUTING_CODE),
    });

    // CloudFront overwrites a viewer header of the same name, so a client cannot supply its own.
    const customHeaders = { [ORIGIN_VERIFY_HEADER]: props.originVerifyValue };
    const apiOrigin = new HttpOrigin(props.httpApiDomain, {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [OriginSslPolicy.TLS_V1_2],
      customHeaders,
    });
    const wsOrigin = new HttpOrigin(props.webSocketApiDomain, {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [OriginSslPolicy.TLS_V1_2],
      customHeaders,
    });

    const viewerIp = new CloudFrontFunction(this, 'ViewerIp', {
      comment: `Puts the viewer IP address in ${VIEWER_IP_HEADER} for the API`,
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(VIEWER_IP_CODE),
    });

    // /api/*: never cached; the API sees every viewer header but Host (API Gateway needs its own),
    // including the viewer IP the function sets, every cookie and every query string.
    const api: BehaviorOptions = {
      origin: apiOrigin,
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      functionAssociations: [{ function: viewerIp, eventType: FunctionEventType.VIEWER_REQUEST }],
      responseHeadersPolicy: headers,
      compress: true,
    };

    // Cacheable public routes (the menu): a short TTL, revalidated by ETag. CloudFront answers a
    // viewer's If-None-Match from its copy and revalidates with the API by ETag when the TTL ends.
    // Cookies and headers are neither in the cache key nor forwarded (but the viewer IP, which every
    // API request carries), so the API cannot personalise a response that everyone then shares.
    const cacheable = HTTP_ROUTES.filter((route) => route.cacheable && route.method === 'GET' && !route.path.includes('{'));
    const cachedApi: BehaviorOptions | undefined =
      cacheable.length === 0
        ? undefined
        : {
            ...api,
            allowedMethods: AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
            cachedMethods: CachedMethods.CACHE_GET_HEAD,
            cachePolicy: new CachePolicy(this, 'MenuCache', {
              comment: `Plato ${settings.slug}: public API reads, revalidated by ETag`,
              minTtl: Duration.seconds(0),
              defaultTtl: Duration.seconds(30),
              maxTtl: Duration.minutes(5),
              cookieBehavior: CacheCookieBehavior.none(),
              headerBehavior: CacheHeaderBehavior.none(),
              // The menu takes no query: `?x=<random>` must not make a new cache entry (a cache bypass).
              queryStringBehavior: CacheQueryStringBehavior.none(),
              enableAcceptEncodingGzip: true,
              enableAcceptEncodingBrotli: true,
            }),
            originRequestPolicy: new OriginRequestPolicy(this, 'PublicApiRequests', {
              comment: `Plato ${settings.slug}: cacheable API reads get the viewer IP only`,
              cookieBehavior: OriginRequestCookieBehavior.none(),
              headerBehavior: OriginRequestHeaderBehavior.allowList(VIEWER_IP_HEADER),
              queryStringBehavior: OriginRequestQueryStringBehavior.none(),
            }),
          };

    const additionalBehaviors: Record<string, BehaviorOptions> = {};
    for (const route of cacheable) additionalBehaviors[route.path] = cachedApi!;
    additionalBehaviors['/api/*'] = api;
    // Dish photos: immutable files (each photo has a new id), cached as long as CloudFront allows.
    // Requests for /media/<key> reach the bucket's key media/<key>; nothing else in it is reachable.
    additionalBehaviors['/media/*'] = {
      origin: S3BucketOrigin.withOriginAccessControl(this.mediaBucket),
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
      cachePolicy: CachePolicy.CACHING_OPTIMIZED,
      responseHeadersPolicy: headers,
      compress: false, // WebP and JPEG are compressed already
    };
    // WebSocket upgrades pass through CloudFront; `/ws` is the stage path, so no rewrite is needed.
    // Every viewer header but Host (the Sec-WebSocket-* ones included), and the viewer IP the function
    // sets: $connect limits handshakes per network.
    additionalBehaviors['/ws'] = {
      origin: wsOrigin,
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      functionAssociations: [{ function: viewerIp, eventType: FunctionEventType.VIEWER_REQUEST }],
      compress: false,
    };

    const custom = settings.domain && settings.certificateArn;
    this.distribution = new Distribution(this, 'Distribution', {
      comment: `Plato ${settings.slug}`,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        functionAssociations: [{ function: spaRouting, eventType: FunctionEventType.VIEWER_REQUEST }],
        compress: true,
      },
      additionalBehaviors,
      httpVersion: HttpVersion.HTTP2_AND_3,
      // North America, Europe, Asia (incl. India), Middle East, Africa.
      priceClass: PriceClass.PRICE_CLASS_200,
      enableLogging: true,
      logBucket: this.logsBucket,
      logFilePrefix: 'cloudfront/',
      webAclId: props.webAclArn,
      ...(custom
        ? {
            domainNames: [settings.domain!],
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
            certificate: Certificate.fromCertificateArn(this, 'Certificate', settings.certificateArn!),
          }
        : {}),
    });
    this.publicOrigin = `https://${custom ? settings.domain : this.distribution.distributionDomainName}`;

    // The apps: hashed assets cached for a year; pages and config.json revalidated on every load.
    this.deploysApps = existsSync(path.join(props.webDistDir, 'index.html'));
    let assets: BucketDeployment | undefined;
    if (this.deploysApps) {
      if (existsSync(path.join(props.webDistDir, 'assets'))) {
        assets = new BucketDeployment(this, 'DeployAssets', {
          destinationBucket: this.bucket,
          destinationKeyPrefix: 'assets/',
          sources: [Source.asset(path.join(props.webDistDir, 'assets'))],
          cacheControl: [CacheControl.fromString('public, max-age=31536000, immutable')],
          prune: false, // pages cached by a browser may still reference the previous build's assets
          memoryLimit: 256,
        });
      }
    } else {
      Annotations.of(this).addWarningV2(
        'plato:web-dist-missing',
        `${path.relative(process.cwd(), props.webDistDir) || props.webDistDir} has no index.html: deploying config.json only. ` +
          'Run `npm run build:web` before `cdk deploy` to publish the apps.',
      );
    }
    const pages = new BucketDeployment(this, 'DeployPages', {
      destinationBucket: this.bucket,
      sources: [
        ...(this.deploysApps ? [Source.asset(props.webDistDir, { exclude: ['assets', 'assets/**'] })] : []),
        Source.jsonData('config.json', publicConfigOf(settings)),
      ],
      cacheControl: [CacheControl.fromString('no-cache')],
      prune: false, // the assets deployment shares the bucket
      distribution: this.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 256,
    });
    if (assets) pages.node.addDependency(assets);
  }
}
