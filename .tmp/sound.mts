import fc from 'fast-check';
import { loadSqlParser, parseScenario, searchSchedules, STRATEGIES, formatProblem } from '../src/index.ts';
await loadSqlParser();
const sem = (process.argv[2] ?? 'timed') as any;
const runs = Number(process.argv[3] ?? 20);
const seed = Number(process.argv[4] ?? 13);
function scenarioOf(c: any) {
  const r = parseScenario(JSON.stringify({ name: 'soundness', seed: 1, items: [{ id: 'vase', stock: c.stock }], topology: { appServers: 2, dbTickMs: 1000 }, network: { delayMsMin: 10, delayMsMax: c.delayMsMax }, workload: { orders: [{ atMs: 0, app: 'app1', item: 'vase' }, { atMs: c.gapMs, app: 'app2', item: 'vase' }] }, strategy: { name: c.strategy, options: { timeoutMs: c.timeoutMs, retries: 1, leaseTicks: 2, lockAttempts: 2, conflictRetries: 1, persistAttempts: 2, backoffMs: 50 } }, limits: { maxTimeMs: 1500, maxEvents: 400 }, timing: 'windowed' }), 's.json');
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  return r.scenario;
}
const arb = fc.record({ strategy: fc.constantFrom(...STRATEGIES.keys()), stock: fc.integer({ min: 1, max: 2 }), gapMs: fc.constantFrom(0, 10, 40), delayMsMax: fc.constantFrom(20, 60), timeoutMs: fc.constantFrom(1000, 1000, 1000, 90), drops: fc.constantFrom(0, 0, 1) });
let compared = 0, interesting = 0, big = 0, bad = 0;
for (const c of fc.sample(arb, { numRuns: runs, seed })) {
  const s = scenarioOf(c); const st = STRATEGIES.get(c.strategy)!;
  const t0 = performance.now();
  const full = searchSchedules(s, st, { reduction: false, keepGoing: true, maxExecutions: 2500, bounds: { drops: c.drops }, semantics: sem });
  if (!full.exhausted) { big++; console.log('big', JSON.stringify(c)); continue; }
  const d = searchSchedules(s, st, { reduction: true, keepGoing: true, bounds: { drops: c.drops }, semantics: sem });
  compared++;
  const same = d.exhausted && (d.found !== null) === (full.found !== null) && JSON.stringify(d.finalStates) === JSON.stringify(full.finalStates);
  if (!same) bad++;
  if (full.finalStates.length > 1 && d.executions < full.executions) interesting++;
  console.log(same ? 'ok ' : 'BAD', JSON.stringify(c), `full ${full.executions}+${full.unrealizable}u ${full.finalStates.length}st found=${full.found !== null}; dpor ${d.executions}+${d.blocked}b+${d.unrealizable}u ${d.finalStates.length}st found=${d.found !== null}`, ((performance.now() - t0) / 1000).toFixed(1) + 's');
}
console.log({ compared, interesting, big, bad });
