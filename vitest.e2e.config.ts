import { defineConfig } from 'vitest/config';

// `npm run test:e2e`: browser tests in the system Chromium (playwright-core) against the local runtime.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 90_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Node 20 is the supported local runtime (Lambda runs 22): the SDK's upgrade notice is noise here.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    fileParallelism: false,
  },
});
