/**
 * Kernel micro-benchmarks, measured side by side in one process (the machine is shared and
 * noisy: compare ratios, not absolute numbers across runs).
 */
import { EventQueue } from '../dist/sim/queue.js';
import { Sim } from '../dist/sim/world.js';
import { ListSource } from '../dist/sim/sources.js';
import { rpc, sleep, type Proc } from '../dist/sim/process.js';

const PROCESSES = 32;

/** A tiny deterministic PRNG so every variant draws the same delays at the same cost. */
function xorshift(seed: number): () => number {
  let x = seed | 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % 16;
  };
}

/** The ceiling: the heap alone, 32 self-rescheduling closures, no processes. */
export function bareHeapLoop(events: number): number {
  const q = new EventQueue();
  const rnd = xorshift(1);
  let now = 0;
  let fired = 0;
  for (let p = 0; p < PROCESSES; p++) {
    const tick = () => q.push(now + 1 + rnd(), tick, undefined, 'wake', '');
    q.push(p, tick, undefined, 'wake', '');
  }
  const t0 = performance.now();
  while (fired < events) {
    const e = q.pop()!;
    now = e.timeMs;
    fired++;
    e.fire(e.arg);
  }
  return (fired * 1000) / (performance.now() - t0);
}

function quietSim(delayMsMax: number): Sim {
  return new Sim({
    source: new ListSource([]),
    network: { delayMsMin: 1, delayMsMax, dropRequestPerMille: 0, dropReplyPerMille: 0, duplicatePerMille: 0, links: new Map() },
  });
}

/** 32 generator processes stepped by the kernel, each sleeping a drawn delay in a loop. */
export function generatorSleepers(events: number): number {
  const sim = quietSim(1);
  const rnd = xorshift(1);
  for (let p = 0; p < PROCESSES; p++) {
    const node = sim.addNode(`n${p}`, 'app');
    node.spawn('sleeper', (function* (): Proc<void> {
      for (;;) yield* sleep(1 + rnd());
    })(), () => {});
  }
  const t0 = performance.now();
  sim.runUntilQuiet({ eventsMax: events, timeMsMax: Number.MAX_SAFE_INTEGER });
  return (sim.eventsFired * 1000) / (performance.now() - t0);
}

/**
 * 32 generator processes exchanging rpcs with 4 servers through the network: the full path
 * (choices for delays, typed trace events hashed as they are emitted, timeouts armed).
 */
export function generatorRpc(events: number): number {
  const sim = quietSim(16);
  for (let s = 0; s < 4; s++) sim.addNode(`s${s}`, 'db').handler = () => ({ ok: true });
  for (let p = 0; p < PROCESSES; p++) {
    const node = sim.addNode(`c${p}`, 'app');
    node.spawn('client', (function* (): Proc<void> {
      for (let i = 0; ; i++) yield* rpc(`s${(p + i) % 4}`, 'ping', { i }, 1000);
    })(), () => {});
  }
  const t0 = performance.now();
  sim.runUntilQuiet({ eventsMax: events, timeMsMax: Number.MAX_SAFE_INTEGER });
  return (sim.eventsFired * 1000) / (performance.now() - t0);
}
