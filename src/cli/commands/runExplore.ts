import { shownPath } from '../shownPath.js';
import type { RunResult } from '../../explore/run.js';
import type { Strategy } from '../../inventory/strategy.js';
import type { Scenario } from '../../scenario/index.js';
import { replayDataOf, writeReplayFile } from '../../explore/replayFile.js';
import { checkRunDeterminism, type Divergence } from '../../explore/determinism.js';
import { formatDivergence } from '../../report/divergence.js';
import type { OptionDef } from '../options.js';
import type { Io } from '../io.js';
import { InputError } from '../../errors.js';
import type { Search } from '../../explore/search.js';

/** `run --record FILE` and `run --check-determinism`: the exploration flags of `run`. */
export const RUN_EXPLORE_OPTIONS: readonly OptionDef[] = [
  { name: 'record', kind: 'string', value: 'FILE', help: 'write a replay file of this run (oversold replay FILE re-executes it)' },
  { name: 'check-determinism', kind: 'boolean', help: 'run it again in a fresh worker thread; exit 1 naming the first diverging trace event if the two traces differ' },
];

type Values = Record<string, string | number | boolean | string[] | undefined>;

/** What the run must keep for these flags. */
export function runExploreNeeds(values: Values): { recordChoices: boolean; keepTrace: boolean } {
  return { recordChoices: typeof values.record === 'string', keepTrace: values['check-determinism'] === true };
}

export interface RunExploreOutcome {
  readonly replayFile: string | null;
  readonly divergence: Divergence | null;
  /** Fields added to `run --json`. */
  readonly json: Record<string, unknown>;
  /** Lines added to the human summary. */
  readonly lines: string[];
}

export async function runExploreAfter(
  r: RunResult,
  ctx: { scenario: Scenario; strategy: Strategy; strategyRef: string; seed: number; instantDb: boolean; values: Values; io: Io; search?: Search | null },
): Promise<RunExploreOutcome> {
  const { values, io } = ctx;
  const json: Record<string, unknown> = {};
  const lines: string[] = [];
  let replayFile: string | null = null;
  if (typeof values.record === 'string') {
    const data = replayDataOf(ctx.scenario, r, ctx.strategyRef, { instantDb: ctx.instantDb, origin: { command: 'run', seed: ctx.seed } });
    let abs: string;
    try {
      abs = writeReplayFile(values.record, data, io.cwd);
    } catch (e) {
      throw new InputError(`--record ${values.record}: cannot write it (${(e as { code?: string }).code ?? String(e)})`, 'CANNOT_WRITE');
    }
    replayFile = shownPath(io.cwd, abs);
    json.replayFile = replayFile;
    lines.push(`recorded ${replayFile} (${data.answers.length} answers): npx oversold replay ${replayFile}`);
  }
  let divergence: Divergence | null = null;
  if (values['check-determinism'] === true) {
    divergence = await checkRunDeterminism(ctx.scenario, { strategy: ctx.strategy, strategyRef: ctx.strategyRef, cwd: io.cwd, seed: ctx.seed, instantDb: ctx.instantDb, search: ctx.search });
    json.determinism = { checked: true, divergence };
    lines.push(divergence ? formatDivergence(divergence) : '✓ deterministic: a second run in a fresh worker thread gave the same trace');
  }
  return { replayFile, divergence, json, lines };
}
