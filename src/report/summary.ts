import type { RunResult } from '../explore/run.js';
import type { SweepSummary } from '../explore/sweep.js';
import type { SweepSearch } from '../explore/sweepReport.js';
import { pctBoundText } from './pctBound.js';
import { plain, type Colors } from './colors.js';
import type { Explanation } from './explain.js';
import { plural } from './plural.js';
import { wrap } from './wrap.js';

/** Summaries stay readable: long sentences wrap with an indent (the CLI passes the terminal's width). */
const WIDTH = 100;

/**
 * The command that reproduces a run, printed with every failure (STYLE.md rule 9). `flags`:
 * what else the run needs to be the same run, e.g. " --timing windowed" or " --search pct --pct-depth 2".
 */
export function replayCommand(scenarioPath: string, strategy: string, seed: number | null, flags = ''): string {
  return `npx oversold run ${shellArg(scenarioPath)} --strategy ${shellArg(strategy)}${seed === null ? '' : ` --seed ${seed}`}${flags}`;
}

/** An argument as a POSIX shell reads it back: quoted only when it has to be (spaces, quotes, $). */
export function shellArg(s: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * One screen: verdict, orders, invariants, goodput, time, and how to replay. With
 * explanations (src/report/explain.ts), each violation also gets its anomaly class and causal
 * chain; a chain shared by several violations is printed once.
 */
/**
 * `strategyRef` is what the user typed after --strategy (a path for their own module); the
 * replay line must repeat it, not the strategy's display name.
 */
export function formatRunSummary(r: RunResult, scenarioPath: string, c: Colors = plain, explanations: readonly Explanation[] = [], strategyRef: string = r.strategy, width: number = WIDTH, flags = ''): string {
  const lines: string[] = [];
  const verdict = r.verdict === 'ok' ? c.green(c.bold('OK')) : c.red(c.bold('VIOLATED'));
  lines.push(`${verdict}  ${c.bold(r.scenario)} · strategy ${c.bold(r.strategy)} · ${r.source}`);
  const o = r.orders;
  lines.push(
    `orders   ${c.green(`${o.placed} placed`)}, ${o.outOfStock} out of stock, ${o.failed} failed, ${o.unknown > 0 ? c.yellow(`${o.unknown} unknown`) : '0 unknown'}` +
      `   goodput ${r.goodput.toFixed(2)}`,
  );
  lines.push(`latency  p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms, max ${r.latencyMs.max} ms (virtual, answered orders)`);
  const stopped = `stopped at ${r.stop}`;
  const runLine = wrap(`${r.virtualTimeMs} ms virtual, ${plural(r.events, 'event')}, ${plural(r.choicesAsked, 'choice')}, ${r.stop === 'quiet' ? 'went quiet' : stopped}, trace ${r.traceHash}`, width, 9, 9);
  lines.push(...runLine.map((l, i) => `${i === 0 ? 'run      ' : ''}${r.stop === 'quiet' ? l : l.replace(stopped, c.yellow(stopped))}`));
  if (r.violations.length === 0) {
    lines.push(`${c.green('✓')} every invariant held`);
  } else {
    const told = new Set<string>();
    r.violations.forEach((v, i) => {
      const [first, ...rest] = wrap(`${v.invariant}: ${v.message}`, width, 2, 2);
      lines.push(`${c.red('✗')} ${c.bold(v.invariant)}${first.slice(v.invariant.length)}`, ...rest);
      const x = explanations[i];
      if (!x) return;
      const seen = told.has(x.text);
      told.add(x.text);
      const [head, ...more] = wrap(`${x.title}: ${seen ? 'the same chain as above' : x.text}`, width, 4, 4);
      lines.push(`  ${c.magenta('↳')} ${c.bold(x.title)}${head.slice(x.title.length)}`, ...more);
    });
  }
  for (const u of r.unknownOrders.slice(0, 5)) lines.push(`${c.yellow('?')} ${u.order}: ${u.reason}`);
  if (r.unknownOrders.length > 5) lines.push(`${c.yellow('?')} … and ${plural(r.unknownOrders.length - 5, 'more order')} without an answer`);
  lines.push(`replay   ${c.cyan(replayCommand(scenarioPath, strategyRef, r.seed, flags))}`);
  return lines.join('\n');
}

export function formatSweepSummary(s: SweepSummary, scenarioPath: string, c: Colors = plain, strategyRef: string = s.strategy, flags = ''): string {
  const lines: string[] = [];
  const failed = s.failingSeeds.length;
  // A sweep stopped by Ctrl-C has judged only what ran: never "OK" (a merge of such a result too).
  const interrupted = (s as { interrupted?: boolean }).interrupted === true;
  const verdict = interrupted
    ? `${c.yellow(c.bold('INTERRUPTED'))}${failed > 0 ? ` ${c.red(c.bold('VIOLATED'))}` : ''}`
    : failed === 0 ? c.green(c.bold('OK')) : c.red(c.bold('VIOLATED'));
  lines.push(`${verdict}  ${c.bold(s.scenario)} · strategy ${c.bold(s.strategy)} · ${plural(s.runs, 'run')} (${s.seedRanges.map(([a, b]) => (b - a === 1 ? `seed ${a}` : `seeds ${a}..${b - 1}`)).join(', ')}) · ${s.runsPerSecond} runs/s`);
  lines.push(`${plural(failed, 'failing seed')}${failed > 0 ? `: ${s.failingSeeds.slice(0, 12).join(', ')}${failed > 12 ? ', …' : ''}` : ''}   goodput ${s.goodputMean.toFixed(2)}   latency p50 ${s.latencyMs.p50} ms, p99 ${s.latencyMs.p99} ms`);
  for (const [inv, n] of Object.entries(s.violationsByInvariant).sort((a, b) => b[1] - a[1])) {
    lines.push(`${c.red('✗')} ${c.bold(inv)} broke in ${plural(n, 'run')}`);
  }
  if (s.firstFailure) {
    lines.push(`first    seed ${s.firstFailure.seed}: ${s.firstFailure.invariant}: ${s.firstFailure.message}`);
    lines.push(`replay   ${c.cyan(replayCommand(scenarioPath, strategyRef, s.firstFailure.seed, flags))}`);
  }
  return lines.join('\n');
}

/**
 * What a sweep's search was, and for a clean PCT sweep the miss bound it implies (a clean
 * result is worth only what it rules out: docs/exploration.md). Nothing without a search.
 */
export function formatSearchLines(r: { readonly search?: SweepSearch; readonly runs: number; readonly failingSeeds: readonly number[] }): string[] {
  const s = r.search;
  if (s === undefined) return [];
  if (s.kind === 'random') return ['search   random: every ready event equally likely at every step (windowed timing)'];
  const lines = [`search   PCT d=${s.depth}: a random priority per process (an order, a handler, a node's timers), ${plural(s.depth - 1, 'change point')}${s.calm ? ` over the calm run's ${plural(s.calm.steps, 'step')}` : ''} (windowed timing)`];
  if (s.calm && r.failingSeeds.length === 0 && r.runs > 0) lines.push(`bound    ${pctBoundText(r.runs, s.calm, s.depth)}`);
  return lines;
}
