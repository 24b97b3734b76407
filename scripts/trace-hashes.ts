/**
 * Trace hashes of every library scenario x every built-in strategy x seeds 1..30: the
 * fingerprint of the simulator's behaviour. Refactors must leave it unchanged.
 *
 *   npx tsx scripts/trace-hashes.ts > /tmp/hashes.json        # record
 *   npx tsx scripts/trace-hashes.ts --compare /tmp/hashes.json # compare (exit 1 on a difference)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadScenarioFile } from '../src/scenario/index.js';
import { runOnce } from '../src/explore/run.js';
import { STRATEGIES } from '../src/inventory/strategies/index.js';
import { loadSqlParser } from '../src/inventory/sql/parse.js';

const ROOT = resolve(import.meta.dirname, '..');
const SEEDS = 30;

export function traceHashes(): Record<string, string> {
  const out: Record<string, string> = {};
  const files = readdirSync(resolve(ROOT, 'scenarios')).filter((f) => f.endsWith('.json')).sort();
  for (const f of files) {
    const r = loadScenarioFile(resolve(ROOT, 'scenarios', f));
    if (!r.ok) throw new Error(`${f}: ${JSON.stringify(r.problems)}`);
    for (const [name, strategy] of STRATEGIES) {
      for (let seed = 1; seed <= SEEDS; seed++) {
        out[`${f.replace(/\.json$/, '')}|${name}|${seed}`] = runOnce(r.scenario, { strategy, seed }).traceHash;
      }
    }
  }
  return out;
}

const args = process.argv.slice(2);
await loadSqlParser();
const hashes = traceHashes();
if (args[0] === '--compare') {
  const old = JSON.parse(readFileSync(args[1], 'utf8')) as Record<string, string>;
  // Every run of the base must hash the same; runs the base did not have (a new scenario or
  // strategy) are counted apart, not as differences.
  const keys = Object.keys(old);
  const added = Object.keys(hashes).filter((k) => !(k in old)).length;
  let diff = 0;
  for (const k of keys) {
    if (old[k] !== hashes[k]) {
      if (diff < 20) console.log(`${k}: ${old[k]} -> ${hashes[k] ?? '(none)'}`);
      diff++;
    }
  }
  console.log(`${diff === 0 ? `all ${keys.length} trace hashes match` : `${diff} of ${keys.length} trace hashes differ`}${added > 0 ? ` (${added} new runs not in the base)` : ''}`);
  process.exit(diff === 0 ? 0 : 1);
} else {
  console.log(JSON.stringify(hashes, null, 0));
}
