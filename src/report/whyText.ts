import type { WhyResult } from '../explore/minimise/why.js';
import type { Fault } from '../explore/minimise/faults.js';
import type { Colors } from './colors.js';
import { plural } from './plural.js';
import { wrap } from './wrap.js';

/** A fault in `why --json`: every field, stable names. */
export function faultToJson(f: Fault): Record<string, unknown> {
  return { id: f.id, source: f.source, index: f.index, kind: f.kind, category: f.category, value: f.value, timeMs: f.timeMs, subject: f.subject, label: f.label, text: f.text };
}

/**
 * `why` in words: the violation and its anomaly, how many faults the run had, the necessary
 * ones, a sufficient set, what it cost, and the command that exports it.
 */
export function formatWhy(w: WhyResult, file: string, c: Colors, stories: readonly string[], timings: boolean, width: number): string {
  const lines: string[] = [];
  const inv = w.target.join(', ');
  lines.push(`${c.red(c.bold('WHY'))}  ${c.bold(w.run.scenario)} · strategy ${c.bold(w.run.strategy)} · ${file} breaks ${c.bold(inv)}`);
  for (const s of [...new Set(stories)]) lines.push(...wrap(s, width, 9, 9).map((l, i) => (i === 0 ? `anomaly  ${l}` : l)));
  const steps = w.faults.filter((f) => f.source === 'step').length;
  const chance = w.faults.filter((f) => f.source === 'choice' && f.category === 'fault').length;
  const times = w.faults.length - steps - chance;
  lines.push(`faults   ${w.faults.length} in the run: ${plural(steps, 'scenario step')}, ${plural(chance, 'chance fault')}${timings ? `, ${plural(times, 'timing')}${w.timingsByDefault ? ' (no fault alone is necessary, so the timings were asked too)' : ''}` : ' (timings kept as recorded)'}`);
  if (w.necessary.length === 0) {
    lines.push(`necessary  none: no single fault is needed on its own${w.failsWithoutFaults ? '' : ' (the violation has more than one way to happen)'}`);
  } else {
    lines.push(`necessary  removing any one of these makes ${inv} go away:`);
    for (const f of w.necessary) lines.push(`  ${c.red('✗')} ${f.text}`);
  }
  if (w.failsWithoutFaults) {
    lines.push(`sufficient none needed: it breaks ${inv} with every fault removed${timings ? '' : ' (timing alone: the race is in the code)'}`);
  } else {
    lines.push(`sufficient a minimal set that breaks it on its own (every other fault removed): ${w.sufficient.length} fault${w.sufficient.length === 1 ? '' : 's'}`);
    for (const f of w.sufficient) lines.push(`  ${c.yellow('•')} ${f.text}`);
    // 1-minimal wins over "holds every necessary fault" when the two disagree: say so.
    const apart = w.necessary.filter((f) => !w.sufficient.includes(f));
    if (apart.length > 0) {
      lines.push(`note     ${apart.length === 1 ? 'this necessary fault is' : 'these necessary faults are'} not in the set: with the other faults of the run removed, it breaks without ${apart.length === 1 ? 'it' : 'them'} (runs are not monotonic in their faults)`);
      for (const f of apart) lines.push(`  ${c.red('✗')} ${f.text}`);
    }
  }
  lines.push(`runs     ${plural(w.runs, 'simulation')}${w.budgetExhausted ? c.yellow(' (budget exhausted: the answer is what was found so far; raise --max-runs)') : ''}`);
  lines.push(`export   ${c.cyan(`npx oversold export ${file} -o found.json`)}  (these faults as an editable scenario)`);
  return lines.join('\n');
}
