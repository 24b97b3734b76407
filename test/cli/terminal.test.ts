// Terminal conventions: colour by no-color.org and FORCE_COLOR, width by the terminal, and a
// sweep stopped by Ctrl-C that never claims OK.
import { describe, expect, it } from 'vitest';
import { colorsEnabled, colorsFor } from '../../src/report/colors.js';
import { outputWidth } from '../../src/cli/io.js';
import { formatSweepReport } from '../../src/cli/commands/sweep.js';
import { sweepInline } from '../../src/explore/sweep.js';
import { sweepReport } from '../../src/explore/sweepReport.js';
import { libraryScenario } from '../helpers/scenarios.js';
import { memoryIo, run } from '../helpers/memoryIo.js';
import { builtinStrategy } from '../../src/index.js';

const ANSI = /\x1b\[/;

describe('colours (https://no-color.org, FORCE_COLOR)', () => {
  it('a terminal gets colours; a pipe does not', () => {
    expect(colorsEnabled(true, {})).toBe(true);
    expect(colorsEnabled(false, {})).toBe(false);
  });
  it('NO_COLOR with a value turns them off; an empty NO_COLOR does not', () => {
    expect(colorsEnabled(true, { NO_COLOR: '1' })).toBe(false);
    expect(colorsEnabled(true, { NO_COLOR: '' })).toBe(true);
  });
  it('FORCE_COLOR=0 (or false) turns them off even on a terminal; other values force them on', () => {
    expect(colorsEnabled(true, { FORCE_COLOR: '0' })).toBe(false);
    expect(colorsEnabled(true, { FORCE_COLOR: 'false' })).toBe(false);
    expect(colorsEnabled(false, { FORCE_COLOR: '1' })).toBe(true);
    expect(colorsEnabled(false, { FORCE_COLOR: '' })).toBe(true);
    expect(colorsEnabled(true, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(true);
    expect(colorsFor({ isTTY: true }, { FORCE_COLOR: '0' }).red('x')).toBe('x');
  });
  it('a run on a terminal with FORCE_COLOR=0 prints no escape codes', async () => {
    const r = await run(['run', 'flash-sale', '--seed', '7'], { stdoutIsTTY: true, columns: 100, env: { FORCE_COLOR: '0' } });
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(ANSI);
    const coloured = await run(['run', 'flash-sale', '--seed', '7'], { stdoutIsTTY: true, columns: 100, env: { NO_COLOR: '' } });
    expect(coloured.stdout).toMatch(ANSI);
  });
});

describe('wrapping to the terminal', () => {
  it('the width is the terminal\'s when stdout is one, else 100', () => {
    expect(outputWidth({ stdoutIsTTY: true, columns: 80 })).toBe(80);
    expect(outputWidth({ stdoutIsTTY: false, columns: 80 })).toBe(100);
    expect(outputWidth({ stdoutIsTTY: true })).toBe(100);
    expect(outputWidth({ stdoutIsTTY: true, columns: 10 })).toBe(40);
  });
  it('run\'s explanations fit an 80-column terminal (they were ragged at 100)', async () => {
    const r = await run(['run', 'flash-sale', '--seed', '7'], { stdoutIsTTY: true, columns: 80, env: { NO_COLOR: '1' } });
    const long = r.stdout.split('\n').filter((l) => !l.startsWith('replay') && l.length > 80);
    expect(long).toEqual([]);
    const piped = await run(['run', 'flash-sale', '--seed', '7']);
    expect(Math.max(...piped.stdout.split('\n').map((l) => l.length))).toBeGreaterThan(80);
  });
});

describe('a sweep stopped by Ctrl-C', () => {
  it('says INTERRUPTED in its headline, never OK', () => {
    const scenario = libraryScenario('flash-sale-chaos');
    const tally = sweepInline(scenario, { start: 1, count: 3, strategy: builtinStrategy('conditional-decrement') });
    const base = { scenario, scenarioPath: 'flash-sale-chaos', strategy: 'conditional-decrement', tally, requested: { start: 1, count: 100 }, shard: null, failFast: false, elapsedMs: 10 };
    const io = memoryIo();
    const stopped = formatSweepReport(sweepReport({ ...base, interrupted: true }), 'flash-sale-chaos', io, null, false);
    expect(stopped.split('\n')[0]).toMatch(/^INTERRUPTED  flash-sale-chaos/);
    expect(stopped).not.toMatch(/^OK/m);
    const finished = formatSweepReport(sweepReport({ ...base, interrupted: false }), 'flash-sale-chaos', io, null, false);
    expect(finished.split('\n')[0]).toMatch(/^OK  /);
  });
});
