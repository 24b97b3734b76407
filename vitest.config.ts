import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tiers: `npm test` is the fast one; subprocess-heavy files are *.slow.test.ts
    // (npm run test:slow) and the packed-package tests live in test/e2e (npm run test:e2e).
    exclude: [...configDefaults.exclude, 'test/**/*.slow.test.ts', 'test/e2e/**', '.oversold/**'],
    // Simulation suites are CPU-bound; two cores here.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
