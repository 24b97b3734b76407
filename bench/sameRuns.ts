/**
 * Does the sampled model still run the same runs as another build? For every library scenario
 * that has no call-addressed fault step (those steps' meaning changed: CHANGELOG.md), every
 * built-in strategy and seeds 1..N, compares what the two builds say about the run: the
 * violations (their messages), the order counts, the number of events, the virtual time, the
 * number of questions asked and every answer. Trace hashes are not compared: trace format 2
 * hashes more fields.
 *
 *   npm run build && npx tsx bench/sameRuns.ts --old /tmp/old [--seeds 40]
 *
 * `--all`: against a build of the same trace format (a refactor, a speed-up): every library
 * scenario, and the trace hash and each violation's orders and units are compared too.
 * `--reuse`: this build's runs reset the world of the run before (runOnce's reuseWorld, as a
 * sweep runs), seed after seed; the old build's run as they always did.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';

const { values } = parseArgs({ options: { old: { type: 'string', default: '/tmp/old' }, seeds: { type: 'string', default: '40' }, all: { type: 'boolean', default: false }, reuse: { type: 'boolean', default: false } } });
const ALL = values.all === true;
const SEEDS = Number(values.seeds);
const ROOT = resolve(import.meta.dirname, '..');
const api = async (root: string) => import(pathToFileURL(resolve(root, 'dist/index.js')).href);
const oldApi = await api(values.old!);
const newApi = await api(ROOT);
// The SQL strategies need the parser (a build from before them has neither).
for (const a of [oldApi, newApi]) if (typeof a.loadSqlParser === 'function') await a.loadSqlParser();

const files = readdirSync(resolve(ROOT, 'scenarios')).filter((f) => f.endsWith('.json')).sort()
  .filter((f) => ALL || !/"(drop-request|drop-reply|duplicate-request|delay-call|delay-reply|payment-fail)"/.test(readFileSync(resolve(ROOT, 'scenarios', f), 'utf8')));
let same = 0;
let total = 0;
const differ: string[] = [];
const skipped: string[] = [];
for (const f of files) {
  // Both builds run this worktree's file (the same input): a library file that changed or
  // appeared since the old build is then still a comparison of the code, not of the files.
  // A file the old build cannot load (a field it does not know) is skipped and named.
  const lo = oldApi.loadScenarioFile(resolve(ROOT, 'scenarios', f));
  if (!lo.ok) {
    skipped.push(f);
    continue;
  }
  const so = lo.scenario;
  const sn = newApi.loadScenarioFile(resolve(ROOT, 'scenarios', f)).scenario;
  for (const name of newApi.STRATEGIES.keys()) {
    for (let seed = 1; seed <= SEEDS; seed++) {
      const facts = (a: typeof oldApi, s: unknown) => {
        const r = a.runOnce(s, { seed, strategy: a.builtinStrategy(name), recordChoices: true, reuseWorld: values.reuse === true && a === newApi });
        const vs = r.violations.map((v: { invariant: string; message: string; orders: string[]; units: string[] }) => (ALL ? [v.invariant, v.message, v.orders, v.units] : v.message));
        return JSON.stringify([vs, ALL ? r.traceHash : '', r.orders, r.events, r.virtualTimeMs, r.choicesAsked, r.choices.map((c: { value: number }) => c.value)]);
      };
      total++;
      if (facts(oldApi, so) === facts(newApi, sn)) same++;
      else differ.push(`${f} ${name} ${seed}`);
    }
  }
}
if (skipped.length > 0) console.log(`skipped (the old build cannot load them): ${skipped.join(', ')}`);
console.log(`${files.length - skipped.length} scenarios (${files.filter((f) => !skipped.includes(f)).join(', ')}) x ${newApi.STRATEGIES.size} strategies x seeds 1..${SEEDS}: ${same} of ${total} runs identical${differ.length ? `; differ: ${differ.slice(0, 10).join('; ')}` : ''}`);
process.exitCode = same === total ? 0 : 1;
