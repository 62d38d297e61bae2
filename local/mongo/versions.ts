// The MongoDB release the embedded server poses as: what hello/buildInfo/serverStatus report and
// which commands exist. 8.0 by default; 7.0 lets callers test their fallbacks for older servers.

export type ServerVersion = '7.0' | '8.0';

export interface VersionProfile {
  /** buildInfo / serverStatus `version`. */
  version: string;
  versionArray: number[];
  /** hello `maxWireVersion` (7.0 = 21, 8.0 = 25). */
  maxWireVersion: number;
  featureCompatibilityVersion: string;
  /** Commands this release does not have: they fail with CommandNotFound (59), as on a real mongod of that release. */
  absentCommands: ReadonlySet<string>;
}

export const VERSION_PROFILES: Record<ServerVersion, VersionProfile> = {
  '7.0': { version: '7.0.0', versionArray: [7, 0, 0, 0], maxWireVersion: 21, featureCompatibilityVersion: '7.0', absentCommands: new Set(['bulkWrite']) },
  '8.0': { version: '8.0.0', versionArray: [8, 0, 0, 0], maxWireVersion: 25, featureCompatibilityVersion: '8.0', absentCommands: new Set() },
};

export const DEFAULT_SERVER_VERSION: ServerVersion = '8.0';

export function versionProfile(version: string | undefined): VersionProfile {
  const v = version ?? DEFAULT_SERVER_VERSION;
  if (!Object.hasOwn(VERSION_PROFILES, v)) throw new Error(`serverVersion must be one of ${Object.keys(VERSION_PROFILES).join(', ')} (got ${v})`);
  return VERSION_PROFILES[v as ServerVersion];
}
