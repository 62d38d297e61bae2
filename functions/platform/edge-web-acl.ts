/**
 * The WAF web ACL of a restaurant lives in us-east-1 (CloudFront's web ACLs exist only there), in
 * the edge stack `PlatoEdge-<slug>` (lib/waf.ts), which writes its ARN to an SSM parameter there. The
 * restaurant stack, in any region, asks its setup function for that ARN at deploy time (a custom
 * resource of type WEB_ACL_RESOURCE_TYPE, served by the setup task: admin/handlers/setup.ts) and attaches it
 * to the distribution. Served by the setup function rather than a CDK AwsCustomResource: one Lambda
 * function fewer in the stack.
 */
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';

/** CloudFront's web ACLs (scope CLOUDFRONT) exist only in us-east-1. */
export const EDGE_REGION = 'us-east-1';

export const WEB_ACL_RESOURCE_TYPE = 'Custom::PlatoEdgeWebAcl';

/** The SSM parameter (in us-east-1) the edge stack writes its web ACL's ARN to. */
export const webAclParameterName = (restaurantId: string): string => `/plato/${restaurantId}/web-acl-arn`;

/** The edge stack's web ACL ARN, read from us-east-1. */
export async function readEdgeWebAclArn(restaurantId: string, client = new SSMClient({ region: EDGE_REGION })): Promise<{ WebAclArn: string }> {
  const { Parameter } = await client.send(new GetParameterCommand({ Name: webAclParameterName(restaurantId) }));
  const arn = Parameter?.Value;
  if (!arn || !/^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\//.test(arn)) {
    throw new Error(`${webAclParameterName(restaurantId)} in ${EDGE_REGION} holds no CLOUDFRONT web ACL ARN: deploy PlatoEdge-${restaurantId} first`);
  }
  return { WebAclArn: arn };
}
