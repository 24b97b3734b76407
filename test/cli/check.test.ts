import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers/cli.js';
import { chaosPath } from '../explore/helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'oversold-check-'));

describe('oversold check', () => {
  it('finds lock-lease, prints the shrunk counterexample in words, and its replay file replays in a fresh process', async () => {
    const file = join(tmp, 'lock-lease.json');
    const r = await cli(['check', chaosPath(), '--strategy', 'lock-lease', '--runs', '300', '--replay-file', file, '--json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    for (const k of ['found', 'runs', 'replayFile', 'seed', 'path', 'shrunkChoices', 'violations']) expect(j).toHaveProperty(k);
    expect(j.found).toBe(true);
    expect(j.seed).toBe(1);
    expect(j.path).toMatch(/^\d+(:\d+)*$/);
    expect(existsSync(file)).toBe(true);
    const invariants = j.violations.map((v: { invariant: string }) => v.invariant).sort();
    const replay = await cli(['replay', file, '--json']);
    expect(replay.code).toBe(1);
    const rj = JSON.parse(replay.stdout);
    expect(rj.matchesRecording).toBe(true);
    expect(rj.traceHash).toBe(j.traceHash);
    expect(rj.violations.map((v: { invariant: string }) => v.invariant).sort()).toEqual(invariants);
    for (const k of ['scenario', 'strategy', 'verdict', 'violations', 'orders', 'traceHash', 'events']) expect(rj).toHaveProperty(k);
    // The same seed and path reproduce the same counterexample.
    const again = JSON.parse((await cli(['check', chaosPath(), '--strategy', 'lock-lease', '--seed', String(j.seed), '--path', j.path, '--replay-file', join(tmp, 'again.json'), '--json'])).stdout);
    expect(again.traceHash).toBe(j.traceHash);
    expect(again.shrunkChoices).toEqual(j.shrunkChoices);
  });

  it('human output: the violated invariants, the scenario changes and choices in words, seed, path and the replay command', async () => {
    const file = join(tmp, 'retry.json');
    const r = await cli(['check', chaosPath(), '--strategy', 'retry-without-idempotency', '--replay-file', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('FOUND');
    expect(r.stdout).toMatch(/✗ acknowledged-is-sold/);
    expect(r.stdout).toMatch(/scenario +1 of 15 orders/);
    expect(r.stdout).toMatch(/#\d+ (drop-reply|duplicate): o\d+'s decrement/);
    expect(r.stdout).toMatch(/fast-check seed 1, path [\d:]+/);
    expect(r.stdout).toContain(`npx oversold replay ${file}`);
    expect(r.stdout.split('\n').length).toBeLessThan(20);
    const rep = await cli(['replay', file]);
    expect(rep.stdout).toContain('matches the recording');
  });

  it('exits 0 when no counterexample is found', async () => {
    const r = await cli(['check', chaosPath(), '--strategy', 'reservation', '--runs', '50', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ found: false, runs: 50, replayFile: null, seed: 1, path: null, shrunkChoices: [], violations: [] });
  });

  it('writes the replay file to .oversold/replays/<scenario>-<strategy>-<seed>-<content hash>.json by default', async () => {
    const r = await cli(['check', join(process.cwd(), 'scenarios/flash-sale.json'), '--strategy', 'naive', '--seed', '42', '--json'], { cwd: tmp });
    expect(r.code).toBe(1);
    const name: string = JSON.parse(r.stdout).replayFile;
    expect(name).toMatch(/^\.oversold\/replays\/flash-sale-naive-42-[0-9a-f]{8}\.json$/);
    const file = JSON.parse(readFileSync(join(tmp, name), 'utf8'));
    expect(file.format).toBe('oversold-replay');
    expect(name).toContain(file.contentHash.slice(0, 8));
  });

  it('never overwrites a counterexample: another check of the same seed writes another file, the same one reuses it', async () => {
    const scenario = join(process.cwd(), 'scenarios/flash-sale.json');
    const a = JSON.parse((await cli(['check', scenario, '--strategy', 'naive', '--seed', '42', '--json'], { cwd: tmp })).stdout).replayFile;
    const b = JSON.parse((await cli(['check', scenario, '--strategy', 'naive', '--seed', '42', '--no-swarm', '--json'], { cwd: tmp })).stdout).replayFile;
    const again = JSON.parse((await cli(['check', scenario, '--strategy', 'naive', '--seed', '42', '--json'], { cwd: tmp })).stdout).replayFile;
    expect(b).not.toBe(a);
    expect(again).toBe(a);
    expect(existsSync(join(tmp, a)) && existsSync(join(tmp, b))).toBe(true);
  });

  it('bad usage exits 2 with one line', async () => {
    for (const args of [['check'], ['check', chaosPath(), '--path', 'abc'], ['check', chaosPath(), '--runs', 'x'], ['check', chaosPath(), '--strategy', 'nope']]) {
      const r = await cli(args);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
