/**
 * Secrets: MONGODB_URI and JWT_SECRET. In AWS they live in one Secrets Manager secret
 * (PLATO_SECRET_ARN, a JSON object with those two keys), fetched once per container and cached;
 * locally they come from the environment the local runtime sets. Never logged, never in env on AWS.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** What the stack writes into the secret until devops put the Atlas connection string there. */
export const MONGODB_URI_PLACEHOLDER = 'REPLACE_WITH_MONGODB_ATLAS_URI';

/** The secret still holds the placeholder: the deployment is not finished (answered as 503, never cached). */
export class SecretNotConfiguredError extends Error {
  constructor() {
    super('The Plato secret still holds the placeholder MONGODB_URI: put the Atlas connection string in it');
    this.name = 'SecretNotConfiguredError';
  }
}

export interface Secrets {
  mongodbUri: string;
  jwtSecret: string;
}

let pending: Promise<Secrets> | undefined;

function checked(value: Secrets): Secrets {
  if (value.mongodbUri === MONGODB_URI_PLACEHOLDER) throw new SecretNotConfiguredError();
  return value;
}

async function load(): Promise<Secrets> {
  const arn = process.env.PLATO_SECRET_ARN;
  if (arn) {
    const client = new SecretsManagerClient({});
    const result = await client.send(new GetSecretValueCommand({ SecretId: arn }));
    const parsed = JSON.parse(result.SecretString ?? '{}') as Record<string, unknown>;
    const mongodbUri = parsed.MONGODB_URI;
    const jwtSecret = parsed.JWT_SECRET;
    if (typeof mongodbUri !== 'string' || typeof jwtSecret !== 'string' || jwtSecret.length < 32) {
      throw new Error('The Plato secret must hold MONGODB_URI and a JWT_SECRET of at least 32 characters');
    }
    return checked({ mongodbUri, jwtSecret });
  }
  const mongodbUri = process.env.MONGODB_URI;
  const jwtSecret = process.env.JWT_SECRET;
  if (!mongodbUri || !jwtSecret || jwtSecret.length < 32) {
    throw new Error('Set PLATO_SECRET_ARN, or MONGODB_URI and a JWT_SECRET of at least 32 characters');
  }
  return checked({ mongodbUri, jwtSecret });
}

export function secrets(): Promise<Secrets> {
  pending ??= load().catch((error) => {
    pending = undefined; // a transient failure must not poison the container
    throw error;
  });
  return pending;
}
