// confirmTiming.solveTimes: a clock read late while an event fired (execution.ts clockMs) fixes
// that event's time, so the concrete run solved from the explored order reads the late value
// too, or, when the order leaves no room for it, no solution (confirmation then tries the other
// timings and may end "needs a timing the windows forbid").
import { describe, expect, it } from 'vitest';
import { solveTimes } from '../../src/explore/exhaustive/confirmTiming.js';
import type { FiredWindow, FoundExecution } from '../../src/explore/exhaustive/search.js';

function found(windows: FiredWindow[]): FoundExecution {
  return { violations: [], events: windows.map((_, i) => `deliver|app1|{"type":"none","n":${i}}`), struck: new Map(), stop: 'quiet', windows };
}

const setup: FiredWindow = { creator: -1, minOffsetMs: 0, maxOffsetMs: 0, queued: false, res: ['app1'] };

describe('solveTimes with a late clock read', () => {
  it('the reading event fires no earlier than its reading, even where the latest solution would not put it there', () => {
    // Event 2 at the same node after event 1 ends by 45 ms: without the reading event 1 may fire at 44 at the latest.
    const free = solveTimes(found([setup, { creator: 0, minOffsetMs: 10, maxOffsetMs: 50, queued: false, res: ['app1'] }, { creator: 0, minOffsetMs: 10, maxOffsetMs: 45, queued: false, res: ['app1'] }]), 1, 1000, 0);
    expect(free).not.toBeNull();
    const read = solveTimes(found([setup, { creator: 0, minOffsetMs: 10, maxOffsetMs: 50, queued: false, res: ['app1'], lateReadMs: 40 }, { creator: 0, minOffsetMs: 10, maxOffsetMs: 60, queued: false, res: ['app1'] }]), 1, 1000, 1);
    expect(read![1]).toBeGreaterThanOrEqual(40);
    expect(read![1]).toBeLessThanOrEqual(50);
    expect(read![2]).toBeGreaterThan(read![1]);
  });

  it('no solution when the order leaves no room for the late reading', () => {
    // Event 2 must come after event 1 and by 45 ms: event 1 cannot have fired at 50.
    const w: FiredWindow[] = [setup, { creator: 0, minOffsetMs: 10, maxOffsetMs: 50, queued: false, res: ['app1'], lateReadMs: 50 }, { creator: 0, minOffsetMs: 10, maxOffsetMs: 45, queued: false, res: ['app1'] }];
    expect(solveTimes(found(w), 1, 1000, 0)).toBeNull();
    expect(solveTimes(found([w[0], { ...w[1], lateReadMs: undefined }, w[2]]), 1, 1000, 0)).not.toBeNull();
  });
});
