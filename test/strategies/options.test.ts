// Strategy options are resolved and checked once (resolveStrategyOptions), from the one table
// STRATEGY_OPTION_SPECS; strategies read them as they are, with no fallbacks of their own.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareAndSet, InputError, resolveStrategyOptions, runOnce, scenario, STRATEGY_OPTION_SPECS } from '../../src/index.js';
import { ROOT } from '../helpers/scenarios.js';

/**
 * `orders` buyers of one vase each, all at 0 ms on one app server, a DB exactly 10 ms away and
 * stock for all of them. Every round, all pending orders read the same version and send their
 * cas together: the first to arrive wins, every other one is a version mismatch. The order
 * that comes last loses `orders - 1` times before its turn.
 */
function stampede(orders: number, options: Record<string, number>) {
  return scenario('cas stampede')
    .items({ vase: orders })
    .appServers(1)
    .network({ delayMsMin: 10, delayMsMax: 10 })
    .orders(Array.from({ length: orders }, () => ({ atMs: 0, app: 'app1', lines: [{ item: 'vase', qty: 1 }] })))
    .strategy('compare-and-set', options)
    .build();
}

describe('compare-and-set options', () => {
  it('without conflictRetries, tolerates the documented 50 conflicts: the 51st loss is FAILED', () => {
    expect(STRATEGY_OPTION_SPECS.conflictRetries.default).toBe(50);
    // 51 buyers: the last one loses 50 times, then wins.
    const fits = runOnce(stampede(51, { retries: 5 }), { strategy: compareAndSet, options: { timeoutMs: 1000 } });
    expect(fits.orders).toEqual({ placed: 51, outOfStock: 0, failed: 0, unknown: 0 });
    // 52 buyers: the last one loses a 51st time and gives up, honestly (nothing was applied).
    const over = runOnce(stampede(52, {}), { strategy: compareAndSet });
    expect(over.orders).toEqual({ placed: 51, outOfStock: 0, failed: 1, unknown: 0 });
    expect(over.violations).toEqual([]);
    // The same run with one more conflict allowed places everyone: the bound is the option.
    expect(runOnce(stampede(52, { conflictRetries: 51 }), { strategy: compareAndSet }).orders.placed).toBe(52);
  });
});

describe('resolveStrategyOptions', () => {
  it('fills every built-in option from the table, later layers win, undefined counts as absent, user keys pass', () => {
    const o = resolveStrategyOptions({ retries: 2, mode: 'strict' }, { retries: 3, leaseTicks: undefined });
    for (const [name, spec] of Object.entries(STRATEGY_OPTION_SPECS)) {
      if (name !== 'retries') expect(o[name], name).toBe(spec.default);
    }
    expect(o.retries).toBe(3);
    expect(o.mode).toBe('strict');
  });

  it('a built-in option out of range or of the wrong type is one InputError naming it', () => {
    expect(() => resolveStrategyOptions({ conflictRetries: -1 })).toThrow(InputError);
    expect(() => resolveStrategyOptions({ timeoutMs: '1000' })).toThrow(
      /^strategy option timeoutMs: expected an integer from 1 to 86400000, found "1000"/,
    );
    expect(() => runOnce(stampede(2, {}), { strategy: compareAndSet, options: { leaseTicks: 1.5 } })).toThrow(/strategy option leaseTicks/);
  });

  it('no built-in strategy keeps a fallback for an option (|| or ?? after an options read)', () => {
    const dir = join(ROOT, 'src/inventory/strategies');
    const hits: string[] = [];
    // The SQL strategies live in a folder of their own.
    for (const f of [...readdirSync(dir).filter((x) => x.endsWith('.ts')), ...readdirSync(join(dir, 'sql')).map((x) => `sql/${x}`)]) {
      readFileSync(join(dir, f), 'utf8').split('\n').forEach((line, i) => {
        if (/options\b[^;]*(\|\||\?\?)/.test(line)) hits.push(`${f}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(hits).toEqual([]);
  });
});
