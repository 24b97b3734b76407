import { basename, dirname, join } from 'node:path';
import type { Strategy } from '../inventory/strategy.js';
import { ListSource } from '../sim/sources.js';
import { runOnce, type RunResult } from './run.js';
import type { CheckResult, Counterexample } from './check.js';
import { replayDataOf, writeReplayFile, writeReplayFileByContent } from './replayFile.js';

/** Where `check` and `assertStrategyHolds` put replay files unless told otherwise (gitignored). */
export const REPLAY_DIR = '.oversold/replays';

/**
 * The default replay file's name without its content hash: `<scenario>-<strategy>-<seed>`, in
 * REPLAY_DIR. The file written is `<stem>-<first 8 hex digits of its content hash>.json`, so a
 * second counterexample of the same scenario, strategy and seed never overwrites the first.
 */
export function defaultReplayFile(scenario: string, strategy: string, seed: number): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_');
  return join(REPLAY_DIR, `${safe(scenario)}-${safe(strategy)}-${seed}`);
}

/**
 * Writes the replay file of a check's counterexample; returns its absolute path. `file` is
 * where the user asked for it, or null for REPLAY_DIR under a name that holds its content hash
 * (defaultReplayFile of `scenarioName`, `strategyName` and the fast-check seed).
 */
export function writeCounterexample(result: CheckResult, strategyRef: string, file: string | null, cwd: string, scenarioName?: string, strategyName?: string): string {
  const ce = result.counterexample;
  if (!ce) throw new Error('writeCounterexample: the check found nothing');
  const data = replayDataOf(ce.scenario, ce.run, strategyRef, {
    origin: { command: 'check', fastCheck: { seed: result.seed, path: result.path, runs: result.runs, shrinks: result.shrinks }, knobs: ce.knobs },
  });
  if (file !== null) return writeReplayFile(file, data, cwd);
  const stem = defaultReplayFile(scenarioName ?? ce.scenario.name, strategyName ?? strategyRef, result.seed);
  return writeReplayFileByContent(dirname(stem), basename(stem), data, cwd);
}

/** OVERSOLD_FC_RUNS as a positive integer, or null. */
export function envRuns(env: Readonly<Record<string, string | undefined>> = process.env): number | null {
  const v = Number(env.OVERSOLD_FC_RUNS);
  return Number.isInteger(v) && v > 0 ? v : null;
}

/** The counterexample's run again, from its recorded choices, with its trace (for explanations and pictures). */
export function counterexampleRun(ce: Counterexample, strategy: Strategy): RunResult {
  return runOnce(ce.scenario, { strategy, source: new ListSource(ce.answers, 'recorded'), keepTrace: true });
}
