import { Logger } from '@aws-lambda-powertools/logger';

/** One structured logger per container. Never pass it PINs, tokens, passwords or connection strings. */
export const logger = new Logger({ serviceName: 'plato' });
