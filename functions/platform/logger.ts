import { Logger } from '@aws-lambda-powertools/logger';
import { withSourceLines } from './source-lines.ts';

/**
 * One structured logger per container. Never pass it PINs, tokens, passwords or connection strings.
 * A logged error's stack names our .ts lines (platform/source-lines.ts: the bundle's map read on the first one).
 */
export const logger = new Logger({
  serviceName: 'plato',
  jsonReplacerFn: (_key, value) => (value instanceof Error ? withSourceLines(value) : value),
});
