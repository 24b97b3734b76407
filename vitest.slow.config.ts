import { defineConfig } from 'vitest/config';

/** `npm run test:slow`: the tests that start many processes (each names itself *.slow.test.ts). */
export default defineConfig({
  test: {
    include: ['test/**/*.slow.test.ts'],
    testTimeout: 900_000,
    hookTimeout: 900_000,
  },
});
