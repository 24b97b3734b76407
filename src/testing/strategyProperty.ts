import fc from 'fast-check';
import type { Scenario } from '../scenario/index.js';
import type { Strategy } from '../inventory/strategy.js';
import { builtinStrategy, runOnce, type RunResult } from '../explore/run.js';
import { describeKnobs } from '../report/knobs.js';
import { applySwarm, identityKnobs, streamListsArb, swarmArb, type ChoiceListOptions, type SwarmKnobs } from '../explore/arbitraries.js';
import { StreamListSource, type StreamLists } from '../explore/streamSource.js';
import { choiceContextOf, surprisingChoices } from '../explore/describeChoices.js';
import { REPLAY_DIR } from '../explore/property.js';
import { replayDataOf, writeReplayFile, type ReplayData } from '../explore/replayFile.js';
import { hashLines } from '../sim/hash.js';
import { explainViolations } from '../report/explain.js';
import { shellArg } from '../report/summary.js';
import { wrap } from '../report/wrap.js';
import { printedPath, scenarioOf, strategyArg, type ModuleRef } from './refs.js';
import { join } from 'node:path';

/** One case of the property: the swarm's changes to the scenario and fate's answers, per stream. */
export interface StrategyCase {
  readonly knobs: SwarmKnobs;
  readonly lists: StreamLists;
}

export interface StrategyPropertyOptions {
  /** Perturb the scenario (swarm testing, default true); false keeps it exactly as written. */
  readonly swarm?: boolean;
  readonly choices?: ChoiceListOptions;
  /** Merged over the scenario's strategy options. */
  readonly options?: Readonly<Record<string, number | string | boolean>>;
  /** How the replay file names the strategy (see AssertOptions.strategyRef). */
  readonly strategyRef?: ModuleRef;
  /** Where the replay file goes; false for none. Default .oversold/replays/<scenario>-<strategy>-<hash>.json. */
  readonly replayDir?: string | false;
  /** What printed paths are relative to. Default: process.cwd(). */
  readonly cwd?: string;
}

/**
 * A fast-check property (`fc.assert(p)`) that also hands out its parts, for
 * @fast-check/vitest: `test.prop([p.arbitrary])(name, p.assertHolds)`.
 */
export interface StrategyProperty extends fc.IProperty<[StrategyCase]> {
  readonly arbitrary: fc.Arbitrary<StrategyCase>;
  /** Runs the case; throws a StrategyViolationError when an invariant breaks. */
  readonly assertHolds: (c: StrategyCase) => void;
}

/** What the predicate throws for a failing case: the violations in one line each, the strategy's own exception as `cause`. */
export class StrategyViolationError extends Error {
  /** The failing run (not enumerable: test runners print an error's own fields, and a run holds its whole world). */
  declare readonly run: RunResult;
  constructor(message: string, run: RunResult, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'StrategyViolationError';
    Object.defineProperty(this, 'run', { value: run, enumerable: false });
  }
}

/**
 * "No invariant breaks" as a fast-check property you run yourself: `fc.assert` (or
 * @fast-check/vitest) decides the seed and the number of runs, so fc.configureGlobal and
 * fast-check's random seed apply, and a failure prints fast-check's seed and path.
 *
 * fast-check shrinks the case; the property keeps the last failing one in memory, and when
 * fast-check reports the counterexample, describes it the way `oversold check` does (what
 * broke, the anomaly explained, the faults that matter) and writes its replay file once,
 * named by a hash of its content, with the command that replays it.
 */
export function strategyProperty(scenario: Scenario | ModuleRef, strategy: Strategy | string, o: StrategyPropertyOptions = {}): StrategyProperty {
  const cwd = o.cwd ?? process.cwd();
  const sc = scenarioOf(scenario, cwd);
  const st = typeof strategy === 'string' ? builtinStrategy(strategy) : strategy;
  const strategyText = strategyArg(o.strategyRef ?? (typeof strategy === 'string' ? strategy : undefined), st.name, cwd);
  const run = (c: StrategyCase, record: boolean) =>
    runOnce(applySwarm(sc, c.knobs), { strategy: st, options: o.options, source: new StreamListSource(c.lists), recordChoices: record, keepTrace: record });
  let lastFailure: StrategyCase | null = null;
  const reports = new WeakMap<object, string>();

  const describe = (c: StrategyCase): string => {
    const r = run(c, true);
    const lines: string[] = [`${st.name} broke ${[...new Set(r.violations.map((v) => v.invariant))].join(', ') || 'nothing'} on ${sc.name}:`];
    const explanations = explainViolations(r.violations, r.trace ?? []);
    const told = new Set<string>();
    r.violations.forEach((v, i) => {
      lines.push(...wrap(`✗ ${v.invariant}: ${v.message}`, 100, 2, 4).map((l, j) => (j === 0 ? `  ${l}` : l)));
      const x = explanations[i];
      if (!x || told.has(x.text)) return;
      told.add(x.text);
      lines.push(...wrap(`↳ ${x.title}: ${x.text}`, 100, 4, 6).map((l, j) => (j === 0 ? `    ${l}` : l)));
    });
    lines.push(`scenario   ${describeKnobs(sc, c.knobs)}`);
    const shown = surprisingChoices(r.choices ?? [], choiceContextOf(applySwarm(sc, c.knobs)));
    lines.push(shown.length === 0 ? 'choices    none: every answer was the calm default' : `choices    ${shown.length} not calm:`);
    for (const ch of shown.slice(0, 20)) lines.push(`  #${ch.index} ${ch.text}`);
    if (shown.length > 20) lines.push(`  … and ${shown.length - 20} more`);
    if (o.replayDir !== false && r.violations.length > 0) {
      const data = replayDataOf(applySwarm(sc, c.knobs), r, strategyText, { origin: { command: 'strategyProperty', knobs: c.knobs } });
      const file = writeReplayFile(replayFileFor(data, o.replayDir ?? REPLAY_DIR), data, cwd);
      lines.push(`replay     npx oversold replay ${shellArg(printedPath(file, cwd).replace(/^\.\//, ''))}`);
    }
    return lines.join('\n');
  };

  const arbitrary = fc
    .tuple(o.swarm === false ? fc.constant(identityKnobs(sc)) : swarmArb(sc), streamListsArb(o.choices))
    .map(([knobs, lists]): StrategyCase => {
      const c: StrategyCase = { knobs, lists };
      // fast-check prints a counterexample through this: words and a replay file, not knobs.
      // Only the final (last failing) case is described, and only once.
      Object.defineProperty(c, fc.toStringMethod, {
        enumerable: false,
        value: () => {
          if (c !== lastFailure) return `a case of ${sc.name} (knobs and ${Object.values(lists).reduce<number>((n, l) => n + (Array.isArray(l) ? l.length : 0), 0)} answers)`;
          let text = reports.get(c);
          if (text === undefined) reports.set(c, (text = `\n${describe(c)}\n`));
          return text;
        },
      });
      return c;
    });

  const assertHolds = (c: StrategyCase): void => {
    const r = run(c, false);
    if (r.violations.length === 0) return;
    lastFailure = c;
    const cause = r.violations.find((v) => v.cause !== undefined)?.cause;
    throw new StrategyViolationError(`${st.name} broke ${r.violations.map((v) => `${v.invariant}: ${v.message.replace(/\.$/, '')}`).join('; ')}`, r, cause);
  };

  // Added beside fast-check's own fields (arb, predicate), never over them.
  return Object.assign(fc.property(arbitrary, assertHolds), { arbitrary, assertHolds });
}

/** `<scenario>-<strategy>-<hash of the content>.json` in `dir`: the same case always lands in the same file. */
function replayFileFor(data: ReplayData, dir: string): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_');
  return join(dir, `${safe(data.scenario.name)}-${safe(data.strategy.split('/').at(-1) ?? data.strategy)}-${hashLines([JSON.stringify(data)]).slice(0, 12)}.json`);
}
