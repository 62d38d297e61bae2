import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// The crash test runs its lanes' runtimes as child processes and keeps both cores busy on its own: it runs
// alone, first. The other files run one worker per core (vitest's default is cores − 1: a single worker on
// a 2-core machine). Each project names its own files: a project's `include` would add to a root one.
const CRASH_TEST = 'test/local/crash-safety.test.ts';

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
      { extends: true, test: { name: 'crash', include: [CRASH_TEST], maxWorkers: 1, sequence: { groupOrder: 0 } } },
      {
        extends: true,
        test: { name: 'suite', include: ['test/**/*.test.ts'], exclude: [CRASH_TEST], maxWorkers: Math.max(2, availableParallelism()), sequence: { groupOrder: 1 } },
      },
    ],
  },
});
