import { describe, expect, it } from 'vitest';
import { formatRunSummary } from '../../src/report/summary.js';
import { explainViolations } from '../../src/report/explain.js';
import { runOnce, builtinStrategy } from '../../src/explore/run.js';
import { libraryScenario } from '../helpers/scenarios.js';
import * as F from './fixtures.js';

/** A 100 × 30 terminal. */
function expectOneScreen(text: string): void {
  const lines = text.split('\n');
  expect(lines.length).toBeLessThanOrEqual(30);
  for (const l of lines) expect([...l].length, l).toBeLessThanOrEqual(100);
}

describe('run summary', () => {
  it('fits one screen: verdict, orders, latency, invariants with their anomaly, the replay command', () => {
    const r = F.naiveFlashSale();
    const text = formatRunSummary(r, 'scenarios/flash-sale.json', undefined, explainViolations(r.violations, r.trace!));
    expectOneScreen(text);
    expect(text).toMatch(/^VIOLATED {2}flash-sale · strategy naive · seed 7$/m);
    expect(text).toMatch(/^orders {3}15 placed, 0 out of stock, 0 failed, 0 unknown {3}goodput 1\.00$/m);
    expect(text).toMatch(/^ {2}↳ lost update: o1 read stock=10/m);
    expect(text).toMatch(/^ {2}↳ lost update: the same chain as above$/m);
    expect(text).toMatch(/^replay {3}npx oversold run scenarios\/flash-sale\.json --strategy naive --seed 7$/m);
  });

  it('fits one screen for a chaos run breaking several invariants', () => {
    for (const [strategy, seed] of [['lock-lease', 12], ['naive', 1], ['wall-clock-expiry', 11]] as const) {
      const r = runOnce(libraryScenario('flash-sale-chaos'), { seed, strategy: builtinStrategy(strategy), keepTrace: true });
      expect(r.violations.length).toBeGreaterThanOrEqual(1);
      expectOneScreen(formatRunSummary(r, 'scenarios/flash-sale-chaos.json', undefined, explainViolations(r.violations, r.trace!)));
    }
  });

  it('keeps working without explanations (callers that have no trace)', () => {
    const r = F.naiveFlashSale();
    const text = formatRunSummary(r, 'x.json');
    expect(text).toContain('✗ unique-units');
    expect(text).not.toContain('↳');
  });
});
