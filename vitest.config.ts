import { defineConfig } from 'vitest/config';

// Two tiers (docs/testing.md):
//   npm test            fast: unit and in-process tests (the CLI through main(argv, io))
//   npm run test:slow   slow: files named *.slow.test.ts (browser, subprocesses, signals,
//                       watchdog, pack-and-install, PostgreSQL)
// `npx vitest run FILE` runs one file in whichever tier it belongs to.
export default defineConfig({
  test: {
    // dist/ is rebuilt before every run: worker threads and subprocesses load it.
    globalSetup: ['test/setup/build.ts'],
    reporters: ['default', './test/setup/noSkipsOnCi.ts'],
    // Simulation suites are CPU-bound; two cores here.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The fast tier shares modules between files (isolate: false): re-importing src/ for every
    // file was about half of its CPU time. A test file must leave no module state behind.
    projects: [
      { extends: true, test: { name: 'fast', include: ['test/**/*.test.ts'], exclude: ['test/**/*.slow.test.ts'], isolate: false } },
      { extends: true, test: { name: 'slow', include: ['test/**/*.slow.test.ts'] } },
    ],
  },
});
