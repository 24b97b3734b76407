/**
 * Trace hashes of every library scenario x every built-in strategy x seeds 1..30, in both
 * timing models: the fingerprint of the simulator's behaviour. Refactors must leave it
 * unchanged.
 *
 *   npx tsx scripts/trace-hashes.ts > /tmp/hashes.json        # record
 *   npx tsx scripts/trace-hashes.ts --compare /tmp/hashes.json # compare (exit 1 on a difference)
 *   npx tsx scripts/trace-hashes.ts --golden                   # rewrite test/golden/trace-hashes.json
 *   npx tsx scripts/trace-hashes.ts --reuse --compare FILE     # the same runs on reset worlds (runOnce's reuseWorld)
 *
 * Keys: `scenario|strategy|seed` is the run in the scenario's own timing model (sampled for
 * every library file), `scenario|strategy|seed|windowed` the same seed in the windowed model
 * with the seeded random scheduler. `--compare` against a file recorded before the windowed
 * keys (or a strategy) existed checks the keys it has and counts the new ones apart.
 *
 * The golden file (test/golden/trace-hashes.json, checked by test/golden/traceHashes.test.ts)
 * names the commit whose code produced it. Record it from a clean worktree; a change that
 * alters behaviour on purpose re-records it and says why (and, if the trace format changed,
 * bumps the format in CHANGELOG.md).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadScenarioFile } from '../src/scenario/index.js';
import { runOnce } from '../src/explore/run.js';
import { STRATEGIES } from '../src/inventory/strategies/index.js';
import { TRACE_FORMAT_VERSION } from '../src/sim/trace.js';
import { loadSqlParser } from '../src/inventory/sql/parse.js';

const ROOT = resolve(import.meta.dirname, '..');
export const SEEDS = 30;
export const GOLDEN_FILE = resolve(ROOT, 'test/golden/trace-hashes.json');

/** The seed of a key (`scenario|strategy|seed` or `...|seed|windowed`). */
export function seedOfKey(key: string): number {
  return Number(key.split('|')[2]);
}

/**
 * Trace hashes of the given seeds (default 1..SEEDS); the fast test tier checks a sample.
 * `reuse`: every run after a scenario's first of each timing model resets the world of the
 * run before (runOnce's reuseWorld), seeds in order per timing model, as a sweep does.
 */
export function traceHashes(seeds: readonly number[] = Array.from({ length: SEEDS }, (_, i) => i + 1), reuse = false): Record<string, string> {
  const out: Record<string, string> = {};
  const files = readdirSync(resolve(ROOT, 'scenarios')).filter((f) => f.endsWith('.json')).sort();
  for (const f of files) {
    const r = loadScenarioFile(resolve(ROOT, 'scenarios', f));
    if (!r.ok) throw new Error(`${f}: ${JSON.stringify(r.problems)}`);
    const name0 = f.replace(/\.json$/, '');
    for (const [name, strategy] of STRATEGIES) {
      // SQL runs are pinned by their own tests (test/strategies/sql.test.ts): not in this fingerprint yet.
      if (strategy.sql === true || r.scenario.sql !== undefined) continue;
      const other = r.scenario.timing !== 'windowed' ? 'windowed' : 'sampled';
      if (reuse) {
        for (const seed of seeds) out[`${name0}|${name}|${seed}`] = runOnce(r.scenario, { strategy, seed, reuseWorld: true }).traceHash;
        for (const seed of seeds) out[`${name0}|${name}|${seed}|${other}`] = runOnce(r.scenario, { strategy, seed, timing: other, reuseWorld: true }).traceHash;
        continue;
      }
      for (const seed of seeds) {
        out[`${name0}|${name}|${seed}`] = runOnce(r.scenario, { strategy, seed }).traceHash;
        out[`${name0}|${name}|${seed}|${other}`] = runOnce(r.scenario, { strategy, seed, timing: other }).traceHash;
      }
    }
  }
  return out;
}

/** Keys whose hash differs or that disappeared; keys `old` does not have are counted apart. */
export function compareHashes(old: Record<string, string>, now: Record<string, string>): { differ: string[]; added: number; total: number } {
  const differ: string[] = [];
  for (const k of Object.keys(old)) if (old[k] !== now[k]) differ.push(`${k}: ${old[k]} -> ${now[k] ?? '(none)'}`);
  const added = Object.keys(now).filter((k) => !(k in old)).length;
  return { differ, added, total: Object.keys(old).length };
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('trace-hashes.ts')) {
  const reuse = process.argv.includes('--reuse');
  const args = process.argv.slice(2).filter((a) => a !== '--reuse');
  // The SQL strategies parse their statements with PostgreSQL's parser.
  await loadSqlParser();
  const hashes = traceHashes(undefined, reuse);
  if (args[0] === '--compare') {
    const raw = JSON.parse(readFileSync(args[1], 'utf8')) as Record<string, unknown>;
    const old = (typeof raw.hashes === 'object' && raw.hashes !== null ? raw.hashes : raw) as Record<string, string>;
    const { differ, added, total } = compareHashes(old, hashes);
    for (const d of differ.slice(0, 20)) console.log(d);
    const extra = added > 0 ? ` (${added} new keys not in ${args[1]})` : '';
    console.log(differ.length === 0 ? `all ${total} trace hashes match${extra}` : `${differ.length} of ${total} trace hashes differ${extra}`);
    process.exit(differ.length === 0 ? 0 : 1);
  } else if (args[0] === '--golden') {
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no', '--', 'src', 'scenarios'], { cwd: ROOT, encoding: 'utf8' }).trim();
    if (dirty !== '') throw new Error(`uncommitted changes under src/ or scenarios/: commit first, so that the golden file names the code that produced it\n${dirty}`);
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const golden = { format: 1, traceFormat: TRACE_FORMAT_VERSION, commit, seeds: SEEDS, count: Object.keys(hashes).length, hashes };
    writeFileSync(GOLDEN_FILE, `${JSON.stringify(golden, null, 1)}\n`); // one run per line: a diff names the runs that changed
    console.log(`wrote ${GOLDEN_FILE}: ${golden.count} trace hashes at ${commit}`);
  } else {
    console.log(JSON.stringify(hashes, null, 0));
  }
}
