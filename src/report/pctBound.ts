/**
 * What a clean PCT result is worth, in words (report/ words only: the numbers are
 * sim/pct.ts's pctMissBound).
 */
import { pctMissBound, type PctCalmStats } from '../sim/pct.js';

/**
 * A clean PCT result in words: the miss-probability bound the runs that found nothing imply
 * (pctMissBound), e.g. "... so a bug of depth 2 was missed by all 1000 runs with probability
 * at most 61 % (n = 17 chains, k = 120 steps in the calm run)".
 */
export function pctBoundText(runs: number, stats: PctCalmStats, depth: number): string {
  const { perRun, miss } = pctMissBound(runs, stats, depth);
  const k = Math.max(1, stats.steps);
  const n = Math.max(1, stats.chains);
  const formula = depth === 1 ? `1/n = 1/${n}` : `1/(n·k${depth > 2 ? `^${depth - 1}` : ''}) = 1/(${n}·${k}${depth > 2 ? `^${depth - 1}` : ''})`;
  return `each run finds a bug of depth ${depth} with probability at least ${formula} = ${percent(perRun)}, so one was missed by all ${runs} run${runs === 1 ? '' : 's'} with probability at most ${percent(miss)} (n = ${n} chains, k = ${k} steps in the calm run)`;
}

function percent(x: number): string {
  const pc = x * 100;
  if (pc >= 99.95 && x < 1) return '> 99.9 %';
  if (pc >= 10) return `${pc.toFixed(1)} %`;
  if (pc >= 0.01) return `${pc.toPrecision(2)} %`;
  return `${pc.toExponential(1)} %`;
}
