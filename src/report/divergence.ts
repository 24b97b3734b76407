import type { Divergence } from '../explore/determinism.js';

/** Human text for a divergence: which seed, which event, both versions. */
export function formatDivergence(d: Divergence): string {
  const what = d.seed === null ? 'the replayed run' : `seed ${d.seed}`;
  const lines = [`NONDETERMINISTIC: ${what} gave two different traces (hashes ${d.traceHashes[0]} and ${d.traceHashes[1]}).`];
  const f = d.firstDifference;
  if (f) {
    lines.push(`first diverging trace event: #${f.index}`);
    if (f.lastCommon) lines.push(`  last common: ${f.lastCommon}`);
    lines.push(`  1st run:     ${f.first ?? '(trace ended)'}`);
    lines.push(`  2nd run:     ${f.second ?? '(trace ended)'}`);
  } else {
    lines.push('(re-running it with traces kept gave equal traces: the difference depends on what ran before it in that thread)');
  }
  lines.push('Something below the strategy reads ambient state: Math.random, Date.now, new Date(), performance.now, a timer, or module-level state that survives between runs. Draw randomness from the simulation instead (the run\'s choices), and keep state per order.');
  return lines.join('\n');
}
