/**
 * The CDK app: `npx cdk synth|deploy -c restaurant=<slug>` builds `Plato-<slug>` (one restaurant)
 * and `PlatoAccount` (account-wide API Gateway logging role, deployed once per account and region).
 * cdk-nag's AwsSolutions checks run at every synth.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ACCOUNT_STACK_NAME, PlatoAccountStack } from '../lib/account-stack.ts';
import { PlatoStack } from '../lib/plato-stack.ts';
import { readSettings, stackNameOf, SettingsError } from '../lib/settings.ts';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const app = new App();
// Only deploy-time account/region: synth never looks anything up, so it works with no credentials.
const account = process.env.CDK_DEPLOY_ACCOUNT ?? process.env.CDK_DEFAULT_ACCOUNT;
const region = process.env.CDK_DEPLOY_REGION ?? process.env.CDK_DEFAULT_REGION;
const env = account && region ? { account, region } : undefined;

try {
  const settings = readSettings(app.node);
  const accountStack = new PlatoAccountStack(app, ACCOUNT_STACK_NAME, { env });
  const stack = new PlatoStack(app, stackNameOf(settings.slug), {
    env,
    settings,
    projectRoot,
    tags: { 'plato:restaurant': settings.slug, 'plato:stage': settings.stage },
  });
  stack.addDependency(accountStack, 'The WebSocket stage logs through the account-wide API Gateway role');
} catch (error) {
  if (error instanceof SettingsError || (error instanceof Error && error.message.startsWith('Missing handler file'))) {
    console.error(`\n${error.message}\n`);
    process.exit(1);
  }
  throw error;
}

Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
