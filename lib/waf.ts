/**
 * The WAF in front of the distribution, on by default. CloudFront only takes web ACLs of CLOUDFRONT
 * scope, which live in us-east-1, so each restaurant gets a small edge stack there,
 * `PlatoEdge-<slug>`: the web ACL, and an SSM parameter in us-east-1 holding its ARN. The restaurant
 * stack, in any region, reads that parameter at deploy time (a custom resource its setup function
 * serves, so no extra Lambda function).
 *
 * Why not CDK's `crossRegionReferences`: it needs a concrete region on both stacks, and the app is
 * also synthesized environment-agnostic (no credentials), where the restaurant stack's region is a
 * token. The parameter works the same in both modes, and CDK's own cross-region references are built
 * the same way (an SSM parameter in the producer's region, a reader in the consumer's).
 *
 * The ACL's rules (priced per rule in bench/lib/cost-model.ts, WAF_RULE_COUNT):
 *   - per-IP rate-based rules for join, staff sign-in and everything, coarser than the app's own
 *     per-client limits (functions/http/request-limits.ts), which stay the fine-grained ones and
 *     also hold locally, where no WAF exists; refusals are 429 in the app's error envelope;
 *   - AWS's Common and KnownBadInputs managed rule groups (no subscription fee).
 */
import { CustomResource, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { EDGE_REGION, WEB_ACL_RESOURCE_TYPE, webAclParameterName } from '../functions/platform/edge-web-acl.ts';
import { HTTP_ROUTES } from '../functions/routes.ts';

export { EDGE_REGION };
export const edgeStackNameOf = (slug: string): string => `PlatoEdge-${slug}`;

const routePath = (method: string, path: string): string => {
  const route = HTTP_ROUTES.find((candidate) => candidate.method === method && candidate.path === path);
  if (!route) throw new Error(`No route ${method} ${path} in functions/routes.ts for the WAF's rate rules`);
  return route.path;
};

/** WAF rate windows: requests per IP per `windowSeconds` (WAF evaluates 60, 120, 300 or 600 s). */
export interface WafRate {
  name: string;
  /** Only requests with this method and exact path count; none: every request. */
  scope?: { method: string; path: string };
  limit: number;
  windowSeconds: 60 | 120 | 300 | 600;
}

/**
 * Sized for a whole restaurant behind one Wi-Fi address (the WAF sees the network, not the phone):
 * join and sign-in allow the app's own per-network rates (120 and 60 a minute) over five minutes, so
 * the app refuses first and the WAF drops a sustained flood before it costs a Lambda invocation;
 * the general rule leaves a full dining room (apps, API, sockets) about 5× headroom.
 */
export const WAF_RATES: readonly WafRate[] = [
  { name: 'JoinPerIp', scope: { method: 'POST', path: routePath('POST', '/api/sessions/join') }, limit: 600, windowSeconds: 300 },
  { name: 'StaffLoginPerIp', scope: { method: 'POST', path: routePath('POST', '/api/staff/login') }, limit: 300, windowSeconds: 300 },
  { name: 'AllPerIp', limit: 10_000, windowSeconds: 300 },
];

/**
 * AWS managed rule groups, with the rules set to count (logged, not blocked) and why.
 * SizeRestrictions_BODY blocks bodies over 8 KB; the app takes up to MAX_BODY_BYTES (64 KB) and
 * answers 413 in its own envelope past it, and legitimate bodies exceed 8 KB: a menu's names in every
 * language (PUT /api/staff/menu/names), a large order or cart, a payment provider's webhook. Dish
 * photos are not affected: they are POSTed straight to S3 with a presigned form, not through CloudFront.
 */
export const WAF_MANAGED_GROUPS: readonly { name: string; counted: { rule: string; reason: string }[] }[] = [
  {
    name: 'AWSManagedRulesCommonRuleSet',
    counted: [{ rule: 'SizeRestrictions_BODY', reason: 'bodies up to 64 KB are legitimate (menu names, large orders, webhooks); the app limits them (413)' }],
  },
  { name: 'AWSManagedRulesKnownBadInputsRuleSet', counted: [] },
];

/** Rules and rule groups in the ACL: each is billed per month. */
export const WAF_RULE_COUNT = WAF_RATES.length + WAF_MANAGED_GROUPS.length;

const RATE_LIMITED_BODY = 'RateLimited';

const visibility = (metricName: string): CfnWebACL.VisibilityConfigProperty => ({
  cloudWatchMetricsEnabled: true,
  sampledRequestsEnabled: true,
  metricName,
});

const exactly = (field: CfnWebACL.FieldToMatchProperty, value: string): CfnWebACL.StatementProperty => ({
  byteMatchStatement: { fieldToMatch: field, searchString: value, positionalConstraint: 'EXACTLY', textTransformations: [{ priority: 0, type: 'NONE' }] },
});

function rateRule(rate: WafRate, priority: number, slug: string): CfnWebACL.RuleProperty {
  return {
    name: rate.name,
    priority,
    action: {
      block: {
        customResponse: {
          responseCode: 429,
          customResponseBodyKey: RATE_LIMITED_BODY,
          responseHeaders: [{ name: 'retry-after', value: String(rate.windowSeconds) }],
        },
      },
    },
    statement: {
      rateBasedStatement: {
        aggregateKeyType: 'IP',
        limit: rate.limit,
        evaluationWindowSec: rate.windowSeconds,
        scopeDownStatement: rate.scope
          ? { andStatement: { statements: [exactly({ method: {} }, rate.scope.method), exactly({ uriPath: {} }, rate.scope.path)] } }
          : undefined,
      },
    },
    visibilityConfig: visibility(`plato-${slug}-${rate.name}`),
  };
}

function managedRule(group: (typeof WAF_MANAGED_GROUPS)[number], priority: number, slug: string): CfnWebACL.RuleProperty {
  return {
    name: group.name,
    priority,
    overrideAction: { none: {} },
    statement: {
      managedRuleGroupStatement: {
        vendorName: 'AWS',
        name: group.name,
        ruleActionOverrides: group.counted.length ? group.counted.map(({ rule }) => ({ name: rule, actionToUse: { count: {} } })) : undefined,
      },
    },
    visibilityConfig: visibility(`plato-${slug}-${group.name}`),
  };
}

export interface PlatoEdgeStackProps extends StackProps {
  slug: string;
}

/** `PlatoEdge-<slug>` in us-east-1: the restaurant's web ACL and the parameter naming it. */
export class PlatoEdgeStack extends Stack {
  readonly webAcl: CfnWebACL;
  readonly parameter: StringParameter;

  constructor(scope: Construct, id: string, props: PlatoEdgeStackProps) {
    super(scope, id, { description: `Plato: the WAF web ACL in front of restaurant ${props.slug}'s CloudFront distribution`, ...props });
    const { slug } = props;
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      name: `plato-${slug}`,
      description: `Plato ${slug}: per-IP rates on join, staff sign-in and all requests, AWS common and known-bad-inputs rules`,
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      customResponseBodies: {
        [RATE_LIMITED_BODY]: {
          contentType: 'APPLICATION_JSON',
          content: JSON.stringify({ error: { code: 'RATE_LIMITED', message: 'Too many requests from this network; try again shortly' } }),
        },
      },
      rules: [
        ...WAF_RATES.map((rate, index) => rateRule(rate, index, slug)),
        ...WAF_MANAGED_GROUPS.map((group, index) => managedRule(group, WAF_RATES.length + index, slug)),
      ],
      visibilityConfig: visibility(`plato-${slug}`),
    });
    this.parameter = new StringParameter(this, 'WebAclArn', {
      parameterName: webAclParameterName(slug),
      description: `Plato ${slug}: the ARN of the web ACL that Plato-${slug} attaches to its distribution`,
      stringValue: this.webAcl.attrArn,
    });
  }
}

/**
 * The edge stack's web ACL ARN, read from us-east-1 in the restaurant stack at deploy time by the
 * setup function (a custom resource it serves: functions/platform/edge-web-acl.ts), which may read
 * that one parameter. The read runs on every deploy (the stamp changes), so a replaced ACL is picked up.
 */
export function importedWebAclArn(scope: Construct, props: { slug: string; deployStamp: string; reader: LambdaFunction; timeoutSeconds: number }): string {
  const stack = Stack.of(scope);
  const parameterArn = stack.formatArn({ service: 'ssm', region: EDGE_REGION, resource: 'parameter', resourceName: webAclParameterName(props.slug).slice(1) });
  props.reader.addToRolePolicy(new PolicyStatement({ actions: ['ssm:GetParameter'], resources: [parameterArn] }));
  const read = new CustomResource(scope, 'EdgeWebAclArn', {
    serviceToken: props.reader.functionArn,
    resourceType: WEB_ACL_RESOURCE_TYPE,
    properties: { DeployStamp: props.deployStamp },
    serviceTimeout: Duration.seconds(Math.min(props.timeoutSeconds + 30, 3600)),
  });
  return read.getAttString('WebAclArn');
}
