/**
 * Account-and-region settings every Plato stack relies on, deployed once (`PlatoAccount`):
 * the role API Gateway uses to write WebSocket stage access logs to CloudWatch Logs. That role is an
 * account-wide API Gateway setting, so it cannot belong to one restaurant's stack (deleting that
 * restaurant would break every other one's logging).
 */
import { RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { CfnAccount } from 'aws-cdk-lib/aws-apigateway';
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { arnParts } from './nag.ts';

export const ACCOUNT_STACK_NAME = 'PlatoAccount';

export class PlatoAccountStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, { description: 'Plato: account-wide API Gateway CloudWatch Logs role (shared by all restaurants)', ...props });
    const role = new Role(this, 'ApiGatewayLogsRole', {
      assumedBy: new ServicePrincipal('apigateway.amazonaws.com'),
      description: 'Lets API Gateway write stage logs to CloudWatch Logs (account setting)',
      inlinePolicies: {
        logs: new PolicyDocument({
          statements: [
            new PolicyStatement({
              // The actions of the AWS managed AmazonAPIGatewayPushToCloudWatchLogs policy, inline.
              actions: [
                'logs:CreateLogGroup',
                'logs:CreateLogStream',
                'logs:DescribeLogGroups',
                'logs:DescribeLogStreams',
                'logs:PutLogEvents',
                'logs:GetLogEvents',
                'logs:FilterLogEvents',
              ],
              resources: [`arn:${this.partition}:logs:${this.region}:${this.account}:*`],
            }),
          ],
        }),
      },
    });
    // Kept on stack deletion: other API Gateway APIs in the account may log through it by then.
    role.applyRemovalPolicy(RemovalPolicy.RETAIN);
    const account = new CfnAccount(this, 'ApiGatewayAccount', { cloudWatchRoleArn: role.roleArn });
    account.applyRemovalPolicy(RemovalPolicy.RETAIN);

    const { partition, region, account: accountId } = arnParts(this);
    Validations.of(role).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:${partition}:logs:${region}:${accountId}:*]`,
        reason:
          "API Gateway's account-level logging role writes the access and execution logs of every API in the account and " +
          'region; their log groups are not known here, so the resource is all log groups of this account and region.',
    });
  }
}
