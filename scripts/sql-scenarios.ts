// The SQL library scenarios over seeds 1..N (default 200): how many violate, which invariants,
// and the mean goodput. The numbers docs/strategies.md and docs/sql.md report.
//   npx tsx scripts/sql-scenarios.ts [seeds]
import { loadSqlParser } from '../src/inventory/sql/parse.js';
import { builtinScenarioNames, loadScenario } from '../src/scenario/index.js';
import { runOnce } from '../src/explore/run.js';
import { checkExpectation } from '../src/explore/expect.js';

await loadSqlParser();
const seeds = Number(process.argv[2] ?? 200);
for (const name of builtinScenarioNames().filter((n) => n.startsWith('sql-'))) {
  const r = loadScenario(name);
  if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.problems)}`);
  const sc = r.scenario;
  const first = runOnce(sc);
  const met = checkExpectation(sc.expect, first.violations);
  let violated = 0;
  let goodput = 0;
  const by = new Map<string, number>();
  for (let seed = 1; seed <= seeds; seed++) {
    const run = runOnce(sc, { seed });
    goodput += run.goodput;
    if (run.violations.length > 0) violated++;
    for (const v of new Set(run.violations.map((x) => x.invariant))) by.set(v, (by.get(v) ?? 0) + 1);
  }
  console.log(`${name}\tdefault seed: ${first.verdict} (expect ${met?.met ? 'met' : 'NOT met'}: ${met?.description})\tviolated ${violated}/${seeds}\t${[...by].map(([k, v]) => `${k} ${v}`).join(', ')}\tgoodput ${(goodput / seeds).toFixed(3)}`);
}
