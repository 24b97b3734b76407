import { resolve } from 'node:path';
import { loadScenarioFile, type Scenario } from '../../src/scenario/index.js';

export const ROOT = resolve(import.meta.dirname, '../..');

/** Property runs per fast-check suite: $OVERSOLD_FC_RUNS, else `dflt` (the CI default). */
export function fcRuns(dflt: number): number {
  const v = Number(process.env.OVERSOLD_FC_RUNS);
  return Number.isInteger(v) && v > 0 ? v : dflt;
}

/** The chaos flash sale: every Chapter 8 fault at once. */
export function chaosPath(): string {
  return resolve(ROOT, 'scenarios/flash-sale-chaos.json');
}

export function load(path: string): Scenario {
  const r = loadScenarioFile(path);
  if (!r.ok) throw new Error(`${path}: ${JSON.stringify(r.problems)}`);
  return r.scenario;
}

export function chaos(): Scenario {
  return load(chaosPath());
}

export function flashSale(): Scenario {
  return load(resolve(ROOT, 'scenarios/flash-sale.json'));
}

/** Kinds of choice that are faults (the rest are timings: delays, arrivals, lags). */
export const FAULT_KINDS: readonly string[] = ['drop-request', 'drop-reply', 'duplicate', 'pause', 'decline', 'clock-offset', 'clock-drift'];
