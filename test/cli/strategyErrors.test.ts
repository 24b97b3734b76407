// A strategy that throws: the user is shown their own file:line, by every way of running it.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertStrategyHolds, CounterexampleError, runOnce, strategyProperty } from '../../src/index.js';
import throwing from '../fixtures/throwing-strategy.js';
import { libraryScenario, ROOT } from '../helpers/scenarios.js';
import { run } from '../helpers/memoryIo.js';

const FIXTURE = resolve(ROOT, 'test/fixtures/throwing-strategy.ts');
const LINE = readFileSync(FIXTURE, 'utf8').split('\n').findIndex((l) => l.includes('THROWS HERE')) + 1;
const AT = new RegExp(`throwing-strategy\\.ts:${LINE}:\\d+`);

describe(`a TypeError thrown at throwing-strategy.ts:${LINE}`, () => {
  it('assertStrategyHolds shows it, with the TypeError as the CounterexampleError\'s cause', () => {
    let err: unknown;
    try {
      assertStrategyHolds('flash-sale', throwing, { numRuns: 5, replayFile: false });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CounterexampleError);
    expect((err as Error).message).toMatch(AT);
    const cause = (err as Error).cause;
    expect(cause).toBeInstanceOf(TypeError);
    expect((cause as Error).stack).toMatch(AT);
  });

  it('strategyProperty: fast-check\'s error has the TypeError as its cause', () => {
    let err: unknown;
    try {
      fc.assert(strategyProperty('flash-sale', throwing, { replayDir: false }), { numRuns: 5, seed: 1 });
    } catch (e) {
      err = e;
    }
    const cause = (err as Error).cause as Error;
    expect(cause.message).toMatch(AT);
    expect((cause.cause as Error).stack).toMatch(AT);
  });

  it('a non-Error thrown value still gives a finding, with no frame invented', () => {
    const r = runOnce(libraryScenario('flash-sale'), {
      seed: 1,
      strategy: { name: 'throws-a-string', summary: '', safe: false, *placeOrder() { throw 'plain'; } },
    });
    const v = r.violations.find((x) => x.invariant === 'strategy-error')!;
    expect(v.message).toContain('threw "plain"');
    expect(v.message).not.toContain('(at ');
  });
});

describe('a read from a replica the topology does not have', () => {
  it('names the problem instead of "rpc to unknown node undefined"', async () => {
    const r = await run(['run', 'lost-release', '--strategy', './test/fixtures/replica-reading-strategy.mjs', '--json', '--watchdog-s', '0']);
    const v = JSON.parse(r.stdout).violations.find((x: { invariant: string }) => x.invariant === 'strategy-error');
    expect(v.message).toContain("ctx.db.read('vase', { from: 'replica' }): this scenario's topology has no replica");
    expect(v.message).toMatch(/replica-reading-strategy\.mjs:6:\d+/);
    expect(v.message).not.toContain('unknown node');
  });
});
