/**
 * Bundling alias for `@aws-sdk/credential-provider-node` in bundles that carry the AWS SDK inside.
 * Lambda always hands a function its role's credentials in environment variables (AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), so the default chain's first link is the only one that
 * ever answers there; the others (SSO, ini files, credential processes, web identity, container and
 * instance metadata, with their STS/SSO clients) are code every cold start would compile for nothing.
 * The local runtime keeps the SDK external, so this never replaces its chain.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

type Credentials = { expiration?: Date } | undefined;

export const defaultProvider = (init: Parameters<typeof fromEnv>[0] = {}) => fromEnv(init);
export const credentialsWillNeedRefresh = (credentials: Credentials) => credentials?.expiration !== undefined;
export const credentialsTreatedAsExpired = (credentials: Credentials) =>
  credentials?.expiration !== undefined && credentials.expiration.getTime() - Date.now() < 300_000;
