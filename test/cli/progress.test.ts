import { describe, expect, it } from 'vitest';
import { progressLine, formatSeconds } from '../../src/cli/progress.js';
import type { Io } from '../../src/cli/io.js';

function fakeIo(clock: { t: number }): Io {
  return { out: () => {}, err: () => {}, stdoutIsTTY: false, stderrIsTTY: true, env: {}, cwd: '/', wallMs: () => clock.t };
}

describe('the sweep progress line', () => {
  it('shows runs, runs/s, failures and ETA, redrawn in place at most every 200 ms, and erased at the end', () => {
    const clock = { t: 0 };
    const writes: string[] = [];
    const p = progressLine(fakeIo(clock), 1000, true, (t) => writes.push(t));
    clock.t = 1000;
    p.add(100, 2);
    clock.t = 1100;
    p.add(100, 0); // within 200 ms: not redrawn
    clock.t = 2000;
    p.add(100, 1);
    p.done();
    expect(writes).toHaveLength(3);
    expect(writes[0]).toBe('\r\x1b[2K100/1000 runs (10%) · 100 runs/s · 2 failing · ETA 9s');
    expect(writes[1]).toBe('\r\x1b[2K300/1000 runs (30%) · 150 runs/s · 3 failing · ETA 5s');
    expect(writes[2]).toBe('\r\x1b[2K');
  });

  it('writes nothing when disabled (stderr not a terminal, or --quiet)', () => {
    const writes: string[] = [];
    const p = progressLine(fakeIo({ t: 0 }), 10, false, (t) => writes.push(t));
    p.add(5, 1);
    p.done();
    expect(writes).toEqual([]);
  });

  it('formats ETAs', () => {
    expect(formatSeconds(42)).toBe('42s');
    expect(formatSeconds(125)).toBe('2m05s');
    expect(formatSeconds(7260)).toBe('2h01m');
  });
});
