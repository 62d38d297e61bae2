/**
 * The CDK app: `npx cdk synth|deploy -c restaurant=<slug>` builds `Plato-<slug>` (one restaurant),
 * `PlatoEdge-<slug>` (its WAF web ACL, always in us-east-1; none with -c waf=off or -c webAclArn) and
 * `PlatoAccount` (the account-wide API Gateway logging role, deployed once per account and region). cdk-nag's AwsSolutions checks run at every synth. Nothing here calls AWS: synth works
 * with no credentials and no network.
 */
import { buildApp } from '../lib/app.ts';
import { SettingsError } from '../lib/settings.ts';
import { MissingHandlerError } from '../lib/functions.ts';

// An explicit deploy target only when the environment names one; otherwise the stacks stay
// environment-agnostic (and CloudFormation fills in the account and region at deploy time).
const account = process.env.CDK_DEPLOY_ACCOUNT ?? process.env.CDK_DEFAULT_ACCOUNT;
const region = process.env.CDK_DEPLOY_REGION ?? process.env.CDK_DEFAULT_REGION;

try {
  const { app } = buildApp({ env: account && region ? { account, region } : undefined });
  app.synth();
} catch (error) {
  if (error instanceof SettingsError || error instanceof MissingHandlerError) {
    console.error(`\n${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
