import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ROOT } from '../helpers/scenarios.js';
import { alive, busyFor, childrenOf } from '../helpers/processes.js';

const MAIN = resolve(ROOT, 'dist/cli/main.js');
const tmp = mkdtempSync(join(tmpdir(), 'oversold-signals-'));
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Starts the CLI; resolves with what it printed once it exits. */
function start(args: readonly string[], stdoutFd?: number) {
  const child = spawn(process.execPath, [MAIN, ...args], { cwd: ROOT, stdio: ['ignore', stdoutFd ?? 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => (stdout += d));
  child.stderr?.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolveDone) => child.on('close', (code) => resolveDone({ code, stdout, stderr })));
  return { child, done };
}

const longSweep = ['sweep', 'scenarios/flash-sale-chaos.json', '--strategy', 'naive', '--seeds', '10000000', '--workers', '1', '--json'];

describe('signals: a stopped sweep still says what ran', () => {
  for (const [signal, code] of [['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    it(`${signal} ends a sweep like Ctrl-C: valid JSON with interrupted: true and the failing seeds so far, exit ${code}`, async () => {
      const { child, done } = start(longSweep);
      await busyFor(child.pid!, 2);
      child.kill(signal);
      const r = await done;
      expect(r.code).toBe(code);
      const j = JSON.parse(r.stdout);
      expect(j.interrupted).toBe(true);
      expect(j.runs).toBeGreaterThan(0);
      expect(j.failingSeeds.length).toBeGreaterThan(0);
    });
  }

  it('SIGTERM ends a check (fast-check is synchronous: it runs in a thread that polls for the stop): valid JSON, interrupted: true, exit 143', async () => {
    const { child, done } = start(['check', 'scenarios/flash-sale-chaos.json', '--strategy', 'reservation', '--runs', '1000000', '--json']);
    await busyFor(child.pid!, 3);
    child.kill('SIGTERM');
    const r = await done;
    expect(r.code).toBe(143);
    expect(JSON.parse(r.stdout)).toMatchObject({ found: false, interrupted: true, replayFile: null });
    expect(JSON.parse(r.stdout).runs).toBeGreaterThan(0);
  });

  it('kill -9 of a relaunched sweep takes its --single-threaded-gc child along: it exits and writes nothing', async () => {
    const outFile = join(tmp, 'shard.json');
    const fd = openSync(outFile, 'w');
    // Two workers on this machine's cores: the sweep relaunches itself in a child node.
    const { child, done } = start(['sweep', 'scenarios/flash-sale-chaos.json', '--strategy', 'naive', '--seeds', '10000000', '--workers', String(Math.max(2, (await import('node:os')).availableParallelism())), '--json'], fd);
    closeSync(fd);
    let kids: number[] = [];
    for (let i = 0; i < 50 && kids.length === 0; i++) {
      await sleep(100);
      kids = childrenOf(child.pid!);
    }
    expect(kids.length).toBe(1);
    await busyFor(child.pid!, 2);
    child.kill('SIGKILL');
    expect((await done).code).toBe(null);
    for (let i = 0; i < 50 && alive(kids[0]); i++) await sleep(100);
    expect(alive(kids[0])).toBe(false);
    expect(readFileSync(outFile, 'utf8')).toBe('');
  });

  describe('explore: a stopped search says what it covered, writes its cursor, and --resume reaches the same verdict', () => {
    // About 8 s of CPU on one core (compare-and-set with one pause): long enough to be stopped in
    // the middle after 2 s of CPU. (conditional-decrement with three fault kinds was 12 600
    // executions once; since guided reversals and the lookahead it is 1.7 s, over before the stop.)
    const search = ['explore', 'scenarios/explore-small.json', '--strategy', 'compare-and-set', '--max-pauses', '1'];
    const verdict = (j: Record<string, unknown>) => ({ executions: j.executions, blocked: j.blocked, finalStates: j.finalStates, exhausted: j.exhausted, violations: j.violations, statement: j.statement });

    it('SIGINT (130, words) and SIGTERM (143, --json) stop it between executions; resumed from the cursor, each ends where the uninterrupted search ends', async () => {
      const intCursor = join(tmp, 'explore-int.cursor.json');
      const termCursor = join(tmp, 'explore-term.cursor.json');
      const whole = start([...search, '--json']);
      const int = start([...search, '--cursor', intCursor]);
      const term = start([...search, '--json', '--cursor', termCursor]);
      await Promise.all([busyFor(int.child.pid!, 2), busyFor(term.child.pid!, 2)]);
      int.child.kill('SIGINT');
      term.child.kill('SIGTERM');
      const [w, i, t] = await Promise.all([whole.done, int.done, term.done]);

      expect(w.code).toBe(0);
      const full = JSON.parse(w.stdout);
      expect(full.exhausted).toBe(true);

      expect(i.code).toBe(130);
      expect(i.stdout).toMatch(/^BOUNDED {2}explore-small · strategy compare-and-set$/m);
      expect(i.stdout).toMatch(/^interrupted after \d+ executions$/m);
      expect(i.stdout).toContain('NOT a proof: the search was interrupted.');
      expect(i.stdout).toContain(`--resume ${intCursor}`);
      expect(existsSync(intCursor)).toBe(true);

      expect(t.code).toBe(143);
      const stopped = JSON.parse(t.stdout);
      expect(stopped).toMatchObject({ interrupted: true, exhausted: false, bounded: true, boundedBy: 'interrupted', cursorFile: termCursor, violations: [] });
      expect(stopped.executions + stopped.blocked).toBeGreaterThan(0);
      expect(stopped.executions + stopped.blocked).toBeLessThan(full.executions + full.blocked);

      const [ri, rt] = await Promise.all([start([...search, '--json', '--resume', intCursor]).done, start([...search, '--json', '--resume', termCursor]).done]);
      for (const r of [ri, rt]) {
        expect(r.code).toBe(0);
        expect(verdict(JSON.parse(r.stdout))).toEqual(verdict(full));
      }
    });

    it('--workers 2: SIGINT stops every thread, prints what was covered and writes a split cursor; resumed, it reaches the uninterrupted verdict and final states', async () => {
      const cursor = join(tmp, 'explore-workers.cursor.json');
      const whole = start([...search, '--json']);
      const int = start([...search, '--workers', '2', '--json', '--cursor', cursor]);
      await busyFor(int.child.pid!, 3);
      int.child.kill('SIGINT');
      const [w, i] = await Promise.all([whole.done, int.done]);
      const full = JSON.parse(w.stdout);
      expect(i.code).toBe(130);
      const stopped = JSON.parse(i.stdout);
      expect(stopped).toMatchObject({ interrupted: true, exhausted: false, boundedBy: 'interrupted', cursorFile: cursor, workers: 2, violations: [] });
      expect(JSON.parse(readFileSync(cursor, 'utf8')).subtrees.length).toBeGreaterThan(0);
      const r = await start([...search, '--json', '--workers', '2', '--resume', cursor]).done;
      expect(r.code).toBe(0);
      const resumed = JSON.parse(r.stdout);
      expect({ exhausted: resumed.exhausted, finalStates: resumed.finalStates, violations: resumed.violations }).toEqual({ exhausted: true, finalStates: full.finalStates, violations: [] });
    });
  });
});
