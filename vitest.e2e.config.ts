import { defineConfig } from 'vitest/config';

// `npm run test:e2e`: browser tests in the system Chromium (playwright-core) against the local runtime.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 90_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
