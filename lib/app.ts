/**
 * Builds the CDK app: `PlatoAccount` plus one `Plato-<slug>` stack per restaurant, with cdk-nag's
 * AwsSolutions checks. bin/plato.ts uses it with the CLI's context; tests and bench/bundles.ts use
 * it with their own (several restaurants, bundling on or off, a temporary outdir).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Validations, type Environment } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ACCOUNT_STACK_NAME, PlatoAccountStack } from './account-stack.ts';
import { PlatoStack } from './plato-stack.ts';
import { readSettings, stackNameOf, type ContextSource } from './settings.ts';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface BuildOptions {
  /** Context shared by every stack (settings defaults, CDK flags). */
  context?: Record<string, unknown>;
  /** Per-restaurant context, merged over `context`; default: one restaurant from `context.restaurant`. */
  restaurants?: Record<string, unknown>[];
  outdir?: string;
  /** false: skip esbuild (assertion tests); the template is the same apart from asset hashes. */
  bundle?: boolean;
  env?: Environment;
  handlersDir?: string;
  webDistDir?: string;
}

export interface BuiltApp {
  app: App;
  account: PlatoAccountStack;
  stacks: PlatoStack[];
}

/** Context lookups for one restaurant: its own values first, then the app's. */
const layered = (own: Record<string, unknown>, app: App): ContextSource => ({
  tryGetContext: (key: string) => (key in own ? own[key] : app.node.tryGetContext(key)),
});

export function buildApp(options: BuildOptions = {}): BuiltApp {
  const context: Record<string, unknown> = { ...options.context };
  if (options.bundle === false) context['aws:cdk:bundling-stacks'] = [];
  const app = new App({ outdir: options.outdir, context });
  const account = new PlatoAccountStack(app, ACCOUNT_STACK_NAME, { env: options.env });
  const stacks = (options.restaurants ?? [{}]).map((own) => {
    const settings = readSettings(layered(own, app));
    const stack = new PlatoStack(app, stackNameOf(settings.slug), {
      env: options.env,
      settings,
      projectRoot: PROJECT_ROOT,
      handlersDir: options.handlersDir,
      webDistDir: options.webDistDir,
      tags: { 'plato:restaurant': settings.slug, 'plato:stage': settings.stage },
    });
    stack.addStackDependency(account, 'The WebSocket stage logs through the account-wide API Gateway role');
    return stack;
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, account, stacks };
}
