import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ROOT } from '../helpers/scenarios.js';
import { spawnCli as cli } from '../helpers/cli.js';

/**
 * "A strategy that throws or runs away is a reported finding, not a crash or a hang": a
 * placeOrder that loops without yielding never gives the kernel control back, so the CLI runs
 * user modules in watched worker threads and stops them after --watchdog-s of wall-clock time.
 */
const RUNAWAY = './test/fixtures/runaway-strategy.mjs';
const USER = './examples/my-strategy.ts';
const tmp = mkdtempSync(join(tmpdir(), 'oversold-runaway-'));
const LIVENESS_2S = 'placeOrder ran for 2 s of wall-clock time without yielding to the simulator (a loop without yield*?)';

interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
  /** Processes left in the CLI's process group after it exited (should be none). */
  readonly leftBehind: boolean;
}

/** The built CLI in its own process group, asynchronously (so the cases run side by side). */
function cliAsync(args: readonly string[]): Promise<Finished> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [resolve(ROOT, 'dist/cli/main.js'), ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1' },
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const pgid = child.pid!;
  // A hang must fail the test, not the suite: kill the group well before the test timeout.
  const killer = setTimeout(() => groupKill(pgid), 40_000);
  return new Promise((done) => {
    child.on('close', async (code) => {
      clearTimeout(killer);
      const ms = performance.now() - t0;
      let leftBehind = groupAlive(pgid);
      for (let i = 0; i < 20 && leftBehind; i++) {
        await new Promise((r) => setTimeout(r, 100));
        leftBehind = groupAlive(pgid);
      }
      if (leftBehind) groupKill(pgid);
      done({ code, stdout, stderr, ms, leftBehind });
    });
  });
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function groupKill(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function bounded(r: Finished, limitMs = 20_000): void {
  expect(r.leftBehind, 'a process of the CLI outlived it').toBe(false);
  expect(r.ms, 'took too long').toBeLessThan(limitMs);
}

describe('a strategy that loops without yielding is stopped by the watchdog (a liveness finding, exit 1)', () => {
  it('a strategy that keeps everything it makes is stopped at the thread\'s heap limit: a liveness finding, not a swapping machine', async () => {
    const HOARDING = './test/fixtures/hoarding-strategy.mjs';
    const MEMORY = 'placeOrder used more than 1024 MB of heap (does it keep everything it makes?); the run was stopped';
    const [run, sweep] = await Promise.all([
      cliAsync(['run', 'scenarios/flash-sale.json', '--strategy', HOARDING]),
      cliAsync(['sweep', 'scenarios/flash-sale.json', '--strategy', HOARDING, '--seeds', '5', '--workers', '1', '--json']),
    ]);
    // Filling the heap takes longer than a watchdog stop: the thread's limit is the strategy's
    // 1024 MB plus the simulator's own share for the scenario (src/explore/memory.ts).
    for (const r of [run, sweep]) bounded(r, 40_000);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`✗ liveness: ${MEMORY}`);
    expect(sweep.code).toBe(1);
    const report = JSON.parse(sweep.stdout);
    expect(report.failingSeeds).toEqual([1]);
    expect(report.firstFailure).toMatchObject({ seed: 1, invariant: 'liveness', message: MEMORY });
  });

  it('explore runs a user\'s module in a watched thread: a runaway strategy is a liveness finding within the limit, never a hung search', async () => {
    const w = ['--watchdog-s', '2'];
    const [human, json, sane] = await Promise.all([
      cliAsync(['explore', 'scenarios/explore-small.json', '--strategy', RUNAWAY, ...w]),
      cliAsync(['explore', 'scenarios/explore-small.json', '--strategy', RUNAWAY, '--json', ...w]),
      // The same thread runs a well-behaved module to its proof.
      cliAsync(['explore', 'scenarios/explore-small.json', '--strategy', USER, '--json', ...w]),
    ]);
    for (const r of [human, json, sane]) bounded(r);
    expect(human.code).toBe(1);
    expect(human.stdout).toContain('FOUND  explore-small · strategy runaway');
    expect(human.stdout).toContain(`✗ liveness: ${LIVENESS_2S}; the run was stopped`);
    expect(human.stdout).toContain('stopped  in execution 1 of the search');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ strategy: 'runaway', semantics: { name: 'timed' }, bounds: { drops: 0, pauses: 0 }, executions: 0, blocked: null, finalStates: null, exhausted: false, bounded: true, boundedBy: 'watchdog', stop: 'watchdog', violations: [{ invariant: 'liveness' }] });
    expect(sane.code).toBe(0);
    expect(JSON.parse(sane.stdout)).toMatchObject({ strategy: 'my-decrement', exhausted: true, violations: [] });
  });

  it('sweep: the seeds of the stalled chunk before the stalled seed are run again in a fresh thread, not lost', async () => {
    // 320 seeds on one worker: chunks of 10, and seed 6 (the first that loops) is the sixth of its chunk.
    const r = await cliAsync(['sweep', 'scenarios/flash-sale.json', '--strategy', './test/fixtures/sometimes-runaway-strategy.mjs', '--seeds', '320', '--workers', '1', '--json', '--watchdog-s', '2']);
    bounded(r);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.failingSeeds).toEqual([6]);
    expect(report.runs).toBe(6);
    expect(report.seedRanges).toEqual([[1, 7]]);
    expect(report.stalled).toMatchObject({ seed: 6 });
    expect(report.missingSeedRanges[0][0]).toBe(7);
  });

  it('run, replay, sweep (1 and 2 workers) and check each report it within the limit, leaving nothing behind', async () => {
    const rec = join(tmp, 'rec.json');
    expect(cli(['run', 'scenarios/flash-sale.json', '--strategy', 'reservation', '--record', rec]).code).toBe(0);
    const topLevel = join(tmp, 'top-level-loop.mjs');
    writeFileSync(topLevel, 'for (;;) {}\nexport default { name: "never", summary: "s", safe: true, *placeOrder() {} };\n');
    // Nine CLIs start at once beside the rest of the slow tier: on 2 loaded cores a runaway's
    // placeOrder must still be told from a busy machine, so this test gives the watchdog 5 s.
    // (Loading is judged by --load-budget-s alone: a slow load no longer reads as a loop.)
    const w = ['--watchdog-s', '5'];
    const LIVENESS = LIVENESS_2S.replace('for 2 s', 'for 5 s');
    const [run, runJson, replay, sweep1, sweep2, check, checkJson, loadRun, loadSweep] = await Promise.all([
      cliAsync(['run', 'scenarios/flash-sale.json', '--strategy', RUNAWAY, ...w]),
      cliAsync(['run', 'scenarios/flash-sale.json', '--strategy', RUNAWAY, '--seed', '7', '--json', ...w]),
      cliAsync(['replay', rec, '--strategy', RUNAWAY, ...w]),
      cliAsync(['sweep', 'scenarios/flash-sale.json', '--strategy', RUNAWAY, '--seeds', '20', '--workers', '1', ...w]),
      cliAsync(['sweep', 'scenarios/flash-sale.json', '--strategy', RUNAWAY, '--seeds', '20', '--workers', '2', '--json', ...w]),
      cliAsync(['check', 'scenarios/flash-sale.json', '--strategy', RUNAWAY, ...w]),
      cliAsync(['check', 'scenarios/flash-sale.json', '--strategy', RUNAWAY, '--json', ...w]),
      // Loading has its own limit (--load-budget-s, default 60 s), not the run watchdog's.
      cliAsync(['run', 'scenarios/flash-sale.json', '--strategy', topLevel, ...w, '--load-budget-s', '5']),
      cliAsync(['sweep', 'scenarios/flash-sale.json', '--strategy', topLevel, '--seeds', '5', ...w, '--load-budget-s', '5']),
    ]);
    for (const r of [run, runJson, replay, sweep1, sweep2, check, checkJson, loadRun, loadSweep]) bounded(r, 40_000);

    expect(run.code).toBe(1);
    expect(run.stdout).toContain('VIOLATED  flash-sale · strategy runaway · seed 1');
    expect(run.stdout).toContain(`✗ liveness: ${LIVENESS}; the run was stopped`);
    expect(run.stdout).toContain(`replay   npx oversold run scenarios/flash-sale.json --strategy ${RUNAWAY} --seed 1`);

    expect(runJson.code).toBe(1);
    expect(JSON.parse(runJson.stdout)).toMatchObject({
      strategy: 'runaway',
      seed: 7,
      verdict: 'violated',
      stop: 'watchdog',
      violations: [{ invariant: 'liveness', message: `${LIVENESS}; the run was stopped`, orders: [], units: [] }],
    });

    expect(replay.code).toBe(1);
    expect(replay.stdout).toContain(`✗ liveness: ${LIVENESS}`);
    expect(replay.stdout).toContain('MISMATCH');

    for (const r of [sweep1, sweep2]) expect(r.code).toBe(1);
    expect(sweep1.stdout).toContain('1 failing seed: 1');
    expect(sweep1.stdout).toContain(`first    seed 1: liveness: ${LIVENESS}`);
    expect(sweep1.stdout).toContain('stopped  seed 1 by the watchdog');
    const s2 = JSON.parse(sweep2.stdout);
    expect(s2.failingSeeds).toContain(1);
    expect(s2.violationsByInvariant.liveness).toBe(s2.failingSeeds.length);
    expect(s2.stalled).toMatchObject({ seed: 1, duringDeterminismCheck: false });
    expect(s2.missingSeedRanges.length).toBeGreaterThan(0);

    expect(check.code).toBe(1);
    expect(check.stdout).toContain('FOUND  flash-sale · strategy runaway');
    expect(check.stdout).toContain(`✗ liveness: ${LIVENESS}; the check was stopped`);
    expect(checkJson.code).toBe(1);
    expect(JSON.parse(checkJson.stdout)).toMatchObject({ found: true, stop: 'watchdog', violations: [{ invariant: 'liveness' }] });

    // A module that loops at its top level never loads: bad input, like one that throws there.
    for (const r of [loadRun, loadSweep]) {
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toEqual([expect.stringContaining(`strategy module ${topLevel} did not finish loading in 5 s of wall-clock time (a loop at its top level, or a top-level await that never settles?; if it only loads slowly on a busy machine, raise --load-budget-s)`)]);
    }
  });

  it('a normal user strategy is unaffected: the watched run prints exactly what the in-process one does', async () => {
    const rec = join(tmp, 'user.json');
    // What a strategy prints (console.log while debugging) comes through too, in order, on stderr.
    const chatty = join(tmp, 'chatty.mjs');
    writeFileSync(chatty, [
      'export default { name: "chatty", summary: "s", safe: true, *placeOrder(ctx) {',
      '  console.log("placing", ctx.order.id); console.error("stderr", ctx.order.id);',
      '  const r = yield* ctx.db.decrement(ctx.order.lines, { requestId: ctx.newId("d") });',
      '  return r.ok && r.value.ok ? "ORDER_PLACED" : "OUT_OF_STOCK"; } };',
    ].join('\n'));
    const [runW, run0, checkW, check0, recW, chattyW, chatty0] = await Promise.all([
      cliAsync(['run', 'scenarios/flash-sale-chaos.json', '--strategy', USER, '--seed', '4', '--json']),
      cliAsync(['run', 'scenarios/flash-sale-chaos.json', '--strategy', USER, '--seed', '4', '--json', '--watchdog-s', '0']),
      cliAsync(['check', 'scenarios/flash-sale-chaos.json', '--strategy', USER, '--runs', '40', '--json']),
      cliAsync(['check', 'scenarios/flash-sale-chaos.json', '--strategy', USER, '--runs', '40', '--json', '--watchdog-s', '0']),
      cliAsync(['run', 'scenarios/flash-sale-chaos.json', '--strategy', USER, '--seed', '4', '--record', rec]),
      cliAsync(['run', 'scenarios/flash-sale.json', '--strategy', chatty]),
      cliAsync(['run', 'scenarios/flash-sale.json', '--strategy', chatty, '--watchdog-s', '0']),
    ]);
    for (const r of [runW, run0, checkW, check0, recW, chattyW, chatty0]) {
      bounded(r);
      expect(r.code, r.stderr).toBe(0);
    }
    expect(chattyW.stdout).toBe(chatty0.stdout);
    expect(chattyW.stderr).toBe(chatty0.stderr);
    // What the strategy prints goes to stderr: stdout is the command's own output.
    expect(chattyW.stderr.match(/^placing o\d+$/gm)).toHaveLength(15);
    expect(chattyW.stdout).not.toContain('placing');
    expect(runW.stdout).toBe(run0.stdout);
    expect(JSON.parse(runW.stdout)).toMatchObject({ strategy: 'my-decrement', verdict: 'ok' });
    expect(checkW.stdout).toBe(check0.stdout);
    expect(JSON.parse(checkW.stdout)).toMatchObject({ found: false, runs: 40 });
    const replay = await cliAsync(['replay', rec, '--json']);
    expect(replay.code, replay.stderr).toBe(0);
    expect(JSON.parse(replay.stdout).matchesRecording).toBe(true);
  });
});
