// A strategy that throws: the user is shown their own file:line, by every way of running it.
// The tests of strategyErrors.test.ts that start worker threads or processes: the fast tier starts
// neither (test/setup/fastTier.ts, docs/testing.md), so they run here, in the slow tier.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/scenarios.js';
import { run } from '../helpers/memoryIo.js';

const FIXTURE = resolve(ROOT, 'test/fixtures/throwing-strategy.ts');
const LINE = readFileSync(FIXTURE, 'utf8').split('\n').findIndex((l) => l.includes('THROWS HERE')) + 1;
const AT = new RegExp(`throwing-strategy\\.ts:${LINE}:\\d+`);

describe(`a TypeError thrown at throwing-strategy.ts:${LINE}`, () => {
  it('run shows the file and line, and --json carries the stack', async () => {
    const r = await run(['run', 'flash-sale', '--strategy', './test/fixtures/throwing-strategy.ts']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(AT);
    const j = await run(['run', 'flash-sale', '--strategy', './test/fixtures/throwing-strategy.ts', '--json']);
    const v = JSON.parse(j.stdout).violations.find((x: { invariant: string }) => x.invariant === 'strategy-error');
    expect(v.message).toMatch(AT);
    expect(v.stack).toMatch(/^TypeError: /);
    expect(v.stack).toMatch(AT);
  });

  it('check shows it, and check --json carries the stack', async () => {
    const r = await run(['check', 'flash-sale', '--strategy', './test/fixtures/throwing-strategy.ts', '--runs', '5', '--replay-file', '.oversold/test/throwing-check.json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(AT);
    const j = await run(['check', 'flash-sale', '--strategy', './test/fixtures/throwing-strategy.ts', '--runs', '5', '--json', '--replay-file', '.oversold/test/throwing-check.json']);
    expect(JSON.parse(j.stdout).violations[0].stack).toMatch(AT);
  });

  it('sweep --workers 2 shows it (the message crosses worker threads)', async () => {
    const r = await run(['sweep', 'flash-sale', '--strategy', './test/fixtures/throwing-strategy.ts', '--seeds', '4', '--workers', '2']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(AT);
  });
});
