// The CLI as a real process: the few things the in-process tests (main(argv, io)) cannot see.
// Exit statuses, a closed pipe, Ctrl-C, the relaunch of a sweep on every core, and the same
// trace hash in another process. (The watchdog's own process tests: runaway.slow.test.ts.)
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runOnce } from '../../src/explore/run.js';
import { libraryScenario, ROOT } from '../helpers/scenarios.js';
import { cli, spawnCli } from '../helpers/cli.js';

const MAIN = resolve(ROOT, 'dist/cli/main.js');
const CHAOS = 'scenarios/flash-sale-chaos.json';
const tmp = mkdtempSync(join(tmpdir(), 'oversold-process-'));

function expectNoStack(stderr: string): void {
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr).not.toMatch(/\(node:internal|\.js:\d+:\d+\)/);
}

describe('the CLI in a process of its own', () => {
  it('exit status 0, 1 and 2, with the same output as main(argv, io)', async () => {
    const bad = join(tmp, 'bad.json');
    writeFileSync(bad, JSON.stringify({ items: [{ id: 'vase', stock: -1 }] }));
    const cases: Array<[string[], number]> = [
      [['run', 'scenarios/flash-sale.json', '--seed', '7', '--instant-db', '--json'], 0],
      [['run', 'scenarios/flash-sale.json', '--strategy', 'naive', '--seed', '7'], 1],
      [['run', bad], 2],
      [['frobnicate'], 2],
    ];
    for (const [args, code] of cases) {
      const p = spawnCli(args);
      expect(p.code, `${args.join(' ')}: ${p.stderr}`).toBe(code);
      expectNoStack(p.stderr);
      const inProcess = await cli(args);
      expect(p.stdout).toBe(inProcess.stdout);
      expect(p.stderr).toBe(inProcess.stderr);
    }
  });

  it('gives the same trace hash as this process', () => {
    const local = runOnce(libraryScenario('flash-sale'), { seed: 7 }).traceHash;
    const r = spawnCli(['run', 'scenarios/flash-sale.json', '--strategy', 'naive', '--seed', '7', '--json']);
    expect(JSON.parse(r.stdout).traceHash).toBe(local);
  });

  it('piped into a reader that goes away (| head -1): no stack trace, and the exit status is still the verdict', async () => {
    const child = spawn(process.execPath, [MAIN, 'run', 'scenarios/flash-sale-chaos.json', '--strategy', 'naive', '--seed', '7', '--timeline'], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    // read the first chunk, then close the pipe, as `head -1` does
    await new Promise<void>((r) => child.stdout.once('data', () => r()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(1);
    expect(stderr).toBe('');
  });

  it('sweep on every core relaunches itself (per-thread GC) and mirrors the exit status and output', () => {
    const args = ['sweep', CHAOS, '--strategy', 'lock-lease', '--seeds', '60', '--json'];
    const two = spawnCli([...args, '--workers', '2']);
    const one = spawnCli([...args, '--workers', '1']);
    expect(two.code).toBe(1);
    expect(one.code).toBe(1);
    const strip = ({ elapsedMs: _a, runsPerSecond: _b, workers: _c, ...rest }: Record<string, unknown>) => rest;
    expect(strip(JSON.parse(two.stdout))).toEqual(strip(JSON.parse(one.stdout)));
    // OVERSOLD_V8_DEFAULTS=1 runs in place: the same result
    const inPlace = spawnCli([...args, '--workers', '2'], { env: { OVERSOLD_V8_DEFAULTS: '1' } });
    expect(strip(JSON.parse(inPlace.stdout))).toEqual(strip(JSON.parse(two.stdout)));
  });

  it('Ctrl-C stops a sweep cleanly: prints what ran and the failing seeds so far, exits 130', async () => {
    const child = spawn(process.execPath, [MAIN, 'sweep', CHAOS, '--strategy', 'lock-lease', '--seeds', '10000000', '--workers', '2'], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1' },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    // Give it time to relaunch itself, start its workers and run some seeds (a signal that
    // arrives before node has installed the handlers kills it outright: 130 by signal, not
    // the report; on a loaded two-core machine that can take seconds).
    await new Promise((r) => setTimeout(r, 5000));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(130);
    // how many seeds ran by then depends on the machine's load
    expect(out).toMatch(/interrupted after \d+ runs; failing seeds so far: (none|\d+)/);
    expect(out).toMatch(/not run .*seeds \d+\.\.10000000/);
  });
});
