import { describe, expect, it } from 'vitest';
import { relaunchFlags, SWEEP_GC_FLAG } from '../../src/cli/relaunch.js';

const sweep = (...rest: string[]) => ['sweep', 'scenarios/flash-sale-chaos.json', ...rest];

describe('relaunching a sweep with per-thread GC', () => {
  it('relaunches a sweep that puts a worker on every core, keeping the node flags it was started with', () => {
    expect(relaunchFlags(sweep('--workers', '2'), ['--enable-source-maps'], {}, 2, 2)).toEqual(['--enable-source-maps', SWEEP_GC_FLAG]);
    expect(relaunchFlags(sweep('--workers=4'), [], {}, 2, 2)).toEqual([SWEEP_GC_FLAG]);
    expect(relaunchFlags(sweep(), [], {}, 2, 2)).toEqual([SWEEP_GC_FLAG]);
  });

  it('runs in place when a core is left for V8\'s GC helpers, for other commands, and when already relaunched', () => {
    expect(relaunchFlags(sweep('--workers', '1'), [], {}, 2, 2)).toBeNull();
    expect(relaunchFlags(sweep(), [], {}, 8, 8 - 1)).toBeNull();
    expect(relaunchFlags(['run', 'x.json', '--workers', '2'], [], {}, 2, 2)).toBeNull();
    expect(relaunchFlags(sweep('--workers', '2'), [SWEEP_GC_FLAG], {}, 2, 2)).toBeNull();
    expect(relaunchFlags(sweep('--workers', '2'), [], { OVERSOLD_V8_DEFAULTS: '1' }, 2, 2)).toBeNull();
  });

  it('leaves bad --workers values and --help to the sweep itself (one clear line, exit 2)', () => {
    expect(relaunchFlags(sweep('--workers', 'two'), [], {}, 2, 2)).toBeNull();
    expect(relaunchFlags(sweep('--help'), [], {}, 2, 2)).toBeNull();
  });
});
