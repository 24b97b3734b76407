import { defineConfig } from 'vitest/config';

/**
 * `npm run test:e2e`: the packed package, installed into fresh projects from the npm registry.
 * Under CI=true a skipped test is a failure (a skip there means the check did not happen).
 */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    testTimeout: 1_800_000,
    hookTimeout: 1_800_000,
    fileParallelism: false,
  },
});
