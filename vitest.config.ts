import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Files that load the machine on their own and judge what they see by the clock run alone, one at a time,
// after the other files (vitest runs a one-worker project as a sequential group of its own, last): the crash test (its lanes' runtimes are child processes that keep both cores busy) and the flood test
// (legitimate guests must be served within the functions' timeouts while a flooder hammers the stack). The
// other files run one worker per core (vitest's default is cores − 1: a single worker on a 2-core machine).
// Each project names its own files: a project's `include` would add to a root one.
const ALONE = ['test/local/crash-safety.test.ts', 'test/security/flood.test.ts'];

// `npm test`: unit, integration, conformance and CDK tests. Browser tests live in vitest.e2e.config.ts.
export default defineConfig({
  test: {
    exclude: ['test/e2e/**', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Node 20 is the supported local runtime (Lambda runs 22): the SDK's upgrade notice is noise here.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    projects: [
      { extends: true, test: { name: 'alone', include: ALONE, maxWorkers: 1, sequence: { groupOrder: 0 } } },
      {
        extends: true,
        test: { name: 'suite', include: ['test/**/*.test.ts'], exclude: ALONE, maxWorkers: Math.max(2, availableParallelism()), sequence: { groupOrder: 1 } },
      },
    ],
  },
});
