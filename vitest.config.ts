import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

// Tiers (docs/testing.md):
//   npm test            fast: unit and in-process tests (the CLI through main(argv, io)); no
//                       process, no worker thread, no dist/ (test/setup/fastTier.ts refuses them)
//   npm run test:slow   slow: files named *.slow.test.ts (sweeps and anything else on worker
//                       threads, subprocesses, signals, watchdog, browser, PostgreSQL, the CI
//                       examples run as written, full versions of sampled fast tests)
//   npm run test:e2e    the packed package in fresh projects (test/e2e, vitest.e2e.config.ts)
// `npx vitest run FILE` runs one file in whichever tier it belongs to.
const notHere = [...configDefaults.exclude, 'test/e2e/**', '.oversold/**'];

export default defineConfig({
  test: {
    // Under CI=true a skipped test fails the run.
    reporters: ['default', './test/setup/noSkipsOnCi.ts'],
    // Simulation suites are CPU-bound; two cores here.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The fast tier shares modules between files (isolate: false): re-importing src/ for every
    // file was about half of its CPU time. A test file must leave no module state behind.
    projects: [
      {
        extends: true,
        // No dist/ here: a test that imports the package by name ('oversold', as the recipes
        // and examples do) gets src/. A module node loads by itself (a user's strategy through
        // tsx) would resolve 'oversold' to dist/: such tests are slow-tier tests.
        resolve: { alias: [{ find: /^oversold$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) }] },
        test: { name: 'fast', include: ['test/**/*.test.ts'], exclude: [...notHere, 'test/**/*.slow.test.ts'], isolate: false, setupFiles: ['test/setup/fastTier.ts'] },
      },
      {
        extends: true,
        // dist/ is rebuilt before every slow run: worker threads and subprocesses load it. The
        // fast tier loads only src/ (test/setup/fastTier.ts refuses threads and processes).
        test: { name: 'slow', include: ['test/**/*.slow.test.ts'], exclude: notHere, testTimeout: 900_000, hookTimeout: 900_000, globalSetup: ['test/setup/build.ts'] },
      },
    ],
  },
});
