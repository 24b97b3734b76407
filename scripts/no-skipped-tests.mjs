// Under CI=true a skipped test is a failure: a skip in CI means a check silently did not happen
// (no network, no browser, a forgotten .skip). Reads vitest's JSON report.
//   node scripts/no-skipped-tests.mjs <vitest-report.json>
import { readFileSync } from 'node:fs';

const file = process.argv[2];
const report = JSON.parse(readFileSync(file, 'utf8'));
const skipped = report.testResults.flatMap((f) => f.assertionResults.filter((t) => t.status !== 'passed' && t.status !== 'failed').map((t) => `${f.name}: ${t.fullName} (${t.status})`));
if (skipped.length > 0) {
  console.error(`${skipped.length} test(s) did not run:\n  ${skipped.join('\n  ')}`);
  if (process.env.CI === 'true') {
    console.error('CI=true: a skipped test counts as a failure.');
    process.exit(1);
  }
}
if (report.numTotalTests === 0) {
  console.error('no test ran');
  process.exit(1);
}
