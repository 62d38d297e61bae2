/**
 * Builds the CDK app: `PlatoAccount`, and per restaurant `Plato-<slug>` plus `PlatoEdge-<slug>` in
 * us-east-1 (its WAF, unless off or given), with cdk-nag's AwsSolutions checks. bin/plato.ts uses it
 * with the CLI's context; tests and bench/bundles.ts use it with their own (several restaurants,
 * bundling on or off, a temporary outdir).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Validations, type Environment } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ACCOUNT_STACK_NAME, PlatoAccountStack } from './account-stack.ts';
import { PlatoStack } from './plato-stack.ts';
import { readSettings, stackNameOf, type ContextSource } from './settings.ts';
import { EDGE_REGION, edgeStackNameOf, PlatoEdgeStack } from './waf.ts';

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
  functionsDir?: string;
  webDistDir?: string;
  /** Where restaurants/<slug>.json files are looked up; defaults to the project root. */
  settingsRoot?: string;
}

export interface BuiltApp {
  app: App;
  account: PlatoAccountStack;
  stacks: PlatoStack[];
  /** PlatoEdge-<slug> (us-east-1) of each restaurant whose WAF the app creates (the default). */
  edges: PlatoEdgeStack[];
}

/**
 * Saved settings of one restaurant: `restaurants/<slug>.json` (e.g. {"stage": "prod", "domain": ...}),
 * so a redeploy cannot silently fall back to defaults (a prod stack redeployed without
 * `-c stage=prod` would lose its deletion protection). `-c` values on the command line win.
 */
export function restaurantFile(slug: string, root = PROJECT_ROOT): Record<string, unknown> {
  const file = path.join(root, 'restaurants', `${slug}.json`);
  if (!existsSync(file)) return {};
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${file} must hold a JSON object of settings`);
  return parsed as Record<string, unknown>;
}

/** Context lookups for one restaurant: its own values, then the app's (-c), then restaurants/<slug>.json. */
function layered(own: Record<string, unknown>, app: App, root: string): ContextSource {
  const slug = own.restaurant ?? app.node.tryGetContext('restaurant');
  const saved = typeof slug === 'string' && /^[a-z0-9-]+$/.test(slug) ? restaurantFile(slug, root) : {};
  return {
    tryGetContext: (key: string) => {
      if (key in own) return own[key];
      const value = app.node.tryGetContext(key);
      return value !== undefined ? value : saved[key];
    },
  };
}

export function buildApp(options: BuildOptions = {}): BuiltApp {
  const context: Record<string, unknown> = { ...options.context };
  if (options.bundle === false) context['aws:cdk:bundling-stacks'] = [];
  const app = new App({ outdir: options.outdir, context });
  const account = new PlatoAccountStack(app, ACCOUNT_STACK_NAME, { env: options.env });
  const edges: PlatoEdgeStack[] = [];
  const stacks = (options.restaurants ?? [{}]).map((own) => {
    const settings = readSettings(layered(own, app, options.settingsRoot ?? PROJECT_ROOT));
    const tags = { 'plato:restaurant': settings.slug, 'plato:stage': settings.stage };
    // The web ACL must be in us-east-1: its own small stack there, deployed before the restaurant's.
    const edge =
      settings.waf === 'created'
        ? new PlatoEdgeStack(app, edgeStackNameOf(settings.slug), { env: { account: options.env?.account, region: EDGE_REGION }, slug: settings.slug, tags })
        : undefined;
    if (edge) edges.push(edge);
    const stack = new PlatoStack(app, stackNameOf(settings.slug), {
      env: options.env,
      settings,
      projectRoot: PROJECT_ROOT,
      functionsDir: options.functionsDir,
      webDistDir: options.webDistDir,
      tags,
    });
    stack.addStackDependency(account, 'The WebSocket stage logs through the account-wide API Gateway role');
    if (edge) stack.addStackDependency(edge, 'The distribution attaches the web ACL whose ARN the edge stack publishes in us-east-1');
    return stack;
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, account, stacks, edges };
}
