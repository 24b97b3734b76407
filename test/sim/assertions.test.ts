/**
 * The kernel checks itself: each paired assertion, made to fail by corrupting kernel state
 * through the test-only hook (setKernelTestHook: called before every event), stops the run
 * with exit 3 and the command that replays it, never a silent clamp or a wrong verdict.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/cli.js';
import { memoryIo } from '../helpers/memoryIo.js';
import { setKernelTestHook, type KernelTestHook } from '../../src/sim/assert.js';
import type { Kernel } from '../../src/sim/kernel.js';
import type { Sim } from '../../src/sim/world.js';
import type { QueuedEvent } from '../../src/sim/queue.js';

type Parts = { kernel: Kernel; world: Sim; eventsFired: number };

/** Installs `corrupt` as the hook; it gets the kernel and the world before every event. */
function corrupting(corrupt: (p: Parts) => void): void {
  setKernelTestHook(corrupt as unknown as KernelTestHook);
}

afterEach(() => setKernelTestHook(null));

async function expectAssertion(argv: string[], invariant: string): Promise<string> {
  const io = memoryIo();
  const code = await main(argv, io);
  const err = io.stderr.join('\n');
  expect(code, err).toBe(3);
  expect(err).toContain(`kernel assertion failed: ${invariant}`);
  expect(err).toMatch(/a bug in oversold, please report it; it replays with: npx oversold /i);
  expect(err).not.toMatch(/\n\s+at /); // no stack trace
  return err;
}

const once = <T>(f: (p: Parts) => T) => {
  let done = false;
  return (p: Parts) => {
    if (!done && f(p) !== false) done = true;
  };
};

describe('kernel assertions: a corrupted kernel stops with exit 3 and the replay command', () => {
  it('time is an integer and monotonic', async () => {
    corrupting(once((p) => (p.eventsFired === 20 ? void (p.kernel.nowMs += 0.5) : false)));
    const err = await expectAssertion(['run', 'scenarios/flash-sale.json', '--seed', '7'], 'time is an integer and monotonic');
    expect(err).toContain('it replays with: npx oversold run scenarios/flash-sale.json --seed 7');
  });

  it('no event fires after its window (a clock pushed past a pending event)', async () => {
    corrupting(once((p) => (p.eventsFired === 20 ? void (p.kernel.nowMs += 10_000_000) : false)));
    await expectAssertion(['run', 'scenarios/flash-sale.json', '--seed', '7'], 'no event fires after its window');
  });

  it('events are scheduled now or later, never in the past (it used to be clamped silently)', async () => {
    corrupting(once((p) => (p.eventsFired === 20 ? void p.kernel.at('fault-step', '', p.kernel.nowMs - 1, () => {}, undefined) : false)));
    await expectAssertion(['run', 'scenarios/flash-sale.json', '--seed', '7'], 'events are scheduled now or later, never in the past');
  });

  it('each rpc is answered or timed out exactly once: the reply finds its caller waiting for another rpc', async () => {
    corrupting(once((p) => {
      const waiting = p.world.rpcs.waitingForTests();
      if (waiting.length === 0) return false;
      waiting[0].waitingRpc = 424_242;
    }));
    await expectAssertion(['run', 'scenarios/flash-sale.json', '--seed', '7'], 'each rpc is answered or timed out exactly once');
  });

  it('each rpc is answered or timed out exactly once: a call lost from the rpc table is caught when the run goes quiet', async () => {
    corrupting(once((p) => {
      if (!p.world.rpcs.loseOneForTests()) return false;
    }));
    const err = await expectAssertion(['run', 'scenarios/flash-sale.json', '--seed', '7'], 'each rpc is answered or timed out exactly once');
    expect(err).toMatch(/quiet with 0 rpcs waiting \(\d+ started, \d+ resolved\)/);
  });

  it('a process waits for one rpc at a time', async () => {
    // flash-sale-chaos pauses app2 at 250 ms for 8 s: orders arriving there meanwhile wait to start.
    corrupting(once((p) => {
      const waiting = [...p.world.node('app2').processes].filter((x) => x.waitingRpc === -1);
      if (p.world.node('app2').status !== 'paused' || waiting.length === 0) return false;
      for (const x of waiting) x.waitingRpc = 77;
    }));
    await expectAssertion(['run', 'scenarios/flash-sale-chaos.json', '--seed', '1', '--strategy', 'naive'], 'a process waits for one rpc at a time');
  });

  it('nothing is delivered to a crashed or paused node', async () => {
    corrupting(once((p) => {
      const next = p.kernel.queue.peek();
      if (next?.kind !== 'deliver' || next.owner !== 'db') return false;
      p.world.node('db').status = 'zombie' as 'up';
    }));
    await expectAssertion(['run', 'scenarios/flash-sale.json', '--seed', '7'], 'nothing is delivered to a crashed or paused node');
  });

  it('a process runs only on a node that is up', async () => {
    corrupting(once((p) => {
      const next = p.kernel.queue.peek();
      if (next?.kind !== 'arrival') return false;
      p.world.node(next.owner).status = 'zombie' as 'up';
    }));
    await expectAssertion(['run', 'scenarios/flash-sale.json', '--seed', '7'], 'a process runs only on a node that is up');
  });

  it('only a paused node resumes', async () => {
    // gc-pause-lock-lease pauses app1 from 150 ms for 5 s.
    corrupting(once((p) => (p.world.node('app1').status === 'paused' ? void (p.world.node('app1').status = 'up') : false)));
    await expectAssertion(['run', 'scenarios/gc-pause-lock-lease.json'], 'only a paused node resumes');
  });

  it('queue and fired events agree (checked when the run goes quiet)', async () => {
    corrupting(once((p) => void (p.kernel.eventsFired += 1)));
    await expectAssertion(['run', 'scenarios/flash-sale.json', '--seed', '7'], 'queue and fired events agree');
  });

  it('queue and ready set agree (windowed: the scheduler may only pick a pending event)', async () => {
    corrupting(once((p) => {
      if (p.eventsFired < 10) return false;
      for (const e of p.kernel.queue.pendingEvents()) e.pending = false;
    }));
    await expectAssertion(['run', 'scenarios/flash-sale.json', '--seed', '7', '--timing', 'windowed'], 'queue and ready set agree');
  });

  it('the ready set is never empty while events are pending (windowed)', async () => {
    corrupting(once((p) => {
      if (p.eventsFired < 10) return false;
      // Every event waits for itself: nothing can be ready.
      for (const e of p.kernel.queue.pendingEvents()) (e as { after: QueuedEvent | null }).after = e;
    }));
    const err = await expectAssertion(['run', 'scenarios/flash-sale.json', '--seed', '7', '--timing', 'windowed'], 'the ready set is never empty while events are pending');
    expect(err).toContain('npx oversold run scenarios/flash-sale.json --seed 7 --timing windowed');
  });

  it('a replay file that breaks a kernel invariant names the replay command too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oversold-assert-'));
    const io = memoryIo();
    expect(await main(['run', 'scenarios/flash-sale.json', '--seed', '7', '--record', join(dir, 'r.json')], io)).toBe(1);
    corrupting(once((p) => (p.eventsFired === 20 ? void (p.kernel.nowMs += 0.5) : false)));
    const err = await expectAssertion(['replay', join(dir, 'r.json')], 'time is an integer and monotonic');
    expect(err).toContain(`npx oversold replay ${join(dir, 'r.json')}`);
  });
});

describe('the replay command of a broken sweep', () => {
  it('is the one seed\'s run, with the sweep\'s scenario, strategy and timing', async () => {
    const { replayCommandFor } = await import('../../src/cli/cli.js');
    expect(replayCommandFor('sweep', ['s.json', '--seeds', '100', '--strategy', 'naive', '--workers', '2', '--timing=windowed'], 42))
      .toBe('run s.json --strategy naive --timing windowed --seed 42');
    expect(replayCommandFor('run', ['my file.json', '--seed', '3'], 3)).toBe("run 'my file.json' --seed 3");
  });
});
