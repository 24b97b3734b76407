import { CHECK_RUNS_DEFAULT } from '../defaults.js';
import type { CheckResult } from '../explore/check.js';
import { describeKnobs } from './knobs.js';
import type { Scenario } from '../scenario/index.js';
import type { Explanation } from './explain.js';
import { shellArg } from './summary.js';
import { wrap } from './wrap.js';
import { agreeing } from './plural.js';

export interface CounterexampleText {
  /** How the scenario and strategy are named in commands (a file path, a built-in's name, a module path). */
  readonly scenarioArg: string;
  readonly strategyArg: string;
  /** The original (unperturbed) scenario, to say what the swarm changed. */
  readonly scenario: Scenario;
  readonly replayFile: string | null;
  /** The anomaly behind each violation (explainViolations of the counterexample's run). */
  readonly explanations?: readonly Explanation[];
  /** Columns to wrap explanations to (default 100). */
  readonly width?: number;
}

/**
 * The failure report of `check`, `assertStrategyHolds` and `strategyProperty`: what broke, why
 * (the anomaly, in words), the shrunk case, and the commands that get it back.
 */
export function formatCounterexample(result: CheckResult, t: CounterexampleText): string {
  const ce = result.counterexample;
  if (!ce) return `no counterexample in ${result.runs} runs (fast-check seed ${result.seed})`;
  const lines: string[] = [];
  const width = t.width ?? 100;
  lines.push(`counterexample after ${result.runs} run${result.runs === 1 ? '' : 's'}, shrunk ${result.shrinks} time${result.shrinks === 1 ? '' : 's'}:`);
  const told = new Set<string>();
  ce.violations.forEach((v, i) => {
    lines.push(...wrap(`✗ ${v.invariant}: ${v.message}`, width, 2, 4).map((l, j) => (j === 0 ? `  ${l}` : l)));
    const x = t.explanations?.[i];
    if (!x || told.has(x.text)) return;
    told.add(x.text);
    lines.push(...wrap(`↳ ${x.title}: ${x.text}`, width, 4, 6).map((l, j) => (j === 0 ? `    ${l}` : l)));
  });
  lines.push(`scenario   ${describeKnobs(t.scenario, ce.knobs)}`);
  if (ce.shrunkChoices.length === 0) {
    lines.push('choices    none: every answer was the calm default (shortest delays, nothing lost, FIFO)');
  } else {
    lines.push(`choices    ${ce.shrunkChoices.length} ${agreeing(ce.shrunkChoices.length, 'matters', 'matter')} (every other answer was the calm default):`);
    for (const c of ce.shrunkChoices) lines.push(`  #${c.index} ${c.text}`);
  }
  lines.push(`fast-check seed ${result.seed}, path ${result.path}`);
  if (t.replayFile) lines.push(`replay     npx oversold replay ${shellArg(t.replayFile)}`);
  // `check --path` refuses a first number at or past --runs (its cost is linear in it).
  const runsFlag = result.runs > CHECK_RUNS_DEFAULT ? ` --runs ${result.runs}` : '';
  lines.push(`re-check   npx oversold check ${shellArg(t.scenarioArg)} --strategy ${shellArg(t.strategyArg)} --seed ${result.seed}${runsFlag} --path ${result.path}`);
  return lines.join('\n');
}
