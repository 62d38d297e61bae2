/**
 * The commands the CDK stack runs after esbuild writes a function's bundle (NodejsFunction
 * `commandHooks.afterBundling`, run in order in a shell): every bundle's source map cut down to our own
 * code (lib/bundling/own-source-map.cjs; bench/README.md, #18 session 11), and the resize function's
 * sharp copied beside its bundle (lib/bundling/sharp.ts).
 */
import path from 'node:path';
import type { ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { HandlerNeeds } from '../../functions/routes.ts';
import { sharpBundlingHooks } from './sharp.ts';

/** Relative to the project root (CDK's inputDir: the project root locally, its mount in Docker bundling). */
export const OWN_SOURCE_MAP_SCRIPT = path.posix.join('lib', 'bundling', 'own-source-map.cjs');

export const functionBundlingHooks = (projectRoot: string, spec: { needs: Pick<HandlerNeeds, 'media'> }): ICommandHooks => {
  const sharp = spec.needs.media === 'resize' ? sharpBundlingHooks(projectRoot) : undefined;
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (inputDir: string, outputDir: string) => [
      `node "${inputDir}/${OWN_SOURCE_MAP_SCRIPT}" "${outputDir}/index.mjs.map"`,
      ...(sharp ? sharp.afterBundling(inputDir, outputDir) : []),
    ],
  };
};
