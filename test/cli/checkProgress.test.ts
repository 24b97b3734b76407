import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/scenarios.js';
import { cli } from '../helpers/cli.js';
import { checkCommand } from '../../src/cli/commands/check.js';
import { progressLine } from '../../src/cli/progress.js';
import type { Io } from '../../src/cli/io.js';

describe("check's progress line (stderr, a terminal only)", () => {
  function ttyIo(writes: string[], stderrIsTTY = true): Io {
    let t = 0;
    return { out: () => {}, err: () => {}, errRaw: (x) => writes.push(x), stdoutIsTTY: false, stderrIsTTY, env: {}, cwd: ROOT, wallMs: () => (t += 50) };
  }

  it('shows runs done, runs/s and the ETA against --runs, then erases itself; nothing with --quiet or a pipe', async () => {
    const writes: string[] = [];
    const args = ['scenarios/flash-sale.json', '--strategy', 'conditional-decrement', '--runs', '30', '--json'];
    expect(await checkCommand(args, ttyIo(writes))).toBe(0);
    expect(writes.length).toBeGreaterThan(2);
    expect(writes[0]).toMatch(/^\r\x1b\[2K\d+\/30 runs \(\d+%\) · \d+ runs\/s · ETA \d+s$/);
    expect(writes.join('')).not.toContain('failing');
    expect(writes.at(-1)).toBe('\r\x1b[2K');
    const quiet: string[] = [];
    expect(await checkCommand([...args, '--quiet'], ttyIo(quiet))).toBe(0);
    const piped: string[] = [];
    expect(await checkCommand(args, ttyIo(piped, false))).toBe(0);
    expect([...quiet, ...piped]).toEqual([]);
  });

  it('says "shrinking" past --runs and draws nothing after done()', () => {
    const writes: string[] = [];
    const p = progressLine(ttyIo([]), 10, true, (x) => writes.push(x), { failures: false, pastTotal: 'shrinking' });
    p.add(12, 0);
    p.done();
    p.add(5, 0);
    expect(writes).toHaveLength(2);
    expect(writes[0]).toMatch(/^\r\x1b\[2K12 runs \(10 asked\) · \d+ runs\/s · shrinking$/);
    expect(writes[1]).toBe('\r\x1b[2K');
  });
});

describe('the watchdog flag', () => {
  it('--watchdog-s takes a whole number of seconds', async () => {
    const r = await cli(['run', 'scenarios/flash-sale.json', '--strategy', './test/fixtures/runaway-strategy.mjs', '--watchdog-s', 'soon']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--watchdog-s takes a whole number');
  });
});
