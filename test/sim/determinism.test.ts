import { describe, expect, it } from 'vitest';
import { runOnce } from '../../src/explore/run.js';
import { libraryScenario } from '../helpers/scenarios.js';

describe('same scenario + seed => same trace', () => {
  const scenario = libraryScenario('flash-sale');

  it('is byte-identical run after run, and differs for another seed', () => {
    const a = runOnce(scenario, { seed: 7, keepTrace: true });
    const b = runOnce(scenario, { seed: 7, keepTrace: true });
    expect(JSON.stringify(b.trace)).toBe(JSON.stringify(a.trace));
    expect(b.traceHash).toBe(a.traceHash);
    expect(runOnce(scenario, { seed: 8 }).traceHash).not.toBe(a.traceHash);
  });

  it('keeping the trace or the choices does not change the run', () => {
    const lean = runOnce(scenario, { seed: 11 });
    const full = runOnce(scenario, { seed: 11, keepTrace: true, recordChoices: true });
    expect(full.traceHash).toBe(lean.traceHash);
  });
});
