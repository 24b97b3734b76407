import { setFlagsFromString } from 'node:v8';

/**
 * The old generation a sweep's worker threads start with, in MB (V8's
 * --initial-old-space-size). Why, measured on flash-sale-chaos (docs/benchmarks.md, "Round 6:
 * sweep scaling"): a worker's first mark-compact in the middle of a sweep (V8's default first
 * limit is ~16 MB of old generation, reached ~2 s into a sweep) promotes what lives as long as
 * the world; a long-lived object that then links each run to the next (a Map emptied with
 * clear() did: its old table points to its new one, fixed in the world reset) makes every
 * scavenge after it keep and promote whole runs: 0.4-0.8 MB instead of 30-60 KB, 4-9 ms instead
 * of 0.4, a mark-compact every ~0.5-1 s, ~1.3 CPU-s of a ~7 CPU-s 24 000-seed worker. With a
 * large first limit no mark-compact happens in a sweep of 24 000-96 000 seeds (what a run
 * promotes grows the old generation by ~0.2 MB per 1 000 runs), which still saves 3-9 % with
 * the Maps fixed and keeps the workers out of any other such chain. It is a starting limit,
 * not a reservation: memory is only used as the heap grows.
 */
export const SWEEP_INITIAL_OLD_SPACE_MB = 128;

/**
 * Tunes V8's collector for long sweeps, for this process and every worker thread started after
 * the call (V8 flags are process-wide; heap sizes are read when an isolate is made, so this
 * thread's own heap keeps its start-up limits). Why each, measured on flash-sale-chaos
 * (docs/benchmarks.md, "Garbage" and "Round 6: sweep scaling"):
 *
 * Allocation-site pretenuring off. A run allocates ~100-200 KB of short-lived objects and then
 * drops them all. V8 watches which allocation sites' objects survive young-generation GCs, and
 * a GC that lands in the middle of a run sees nearly all of that run's objects alive, so it
 * decides to allocate those sites' objects straight into the old generation ("pretenure", 240
 * sites over a sweep). Those old objects die with their run but are only reclaimed by a full
 * GC, and until then they keep the young objects they point to alive through every scavenge:
 * 13-20 % of everything allocated survived young GC (0.4 % in a kernel-only sweep), was copied
 * and promoted, and the old generation filled fast enough for a full GC every ~0.6 s. Without
 * pretenuring: 90 % less copied, 5x less GC pause, 1 sim thread keeps 1.12 cores busy instead
 * of 1.27 (V8's helper threads did that copying), and throughput rises by 15-30 %.
 *
 * A large first old-generation limit for the workers (SWEEP_INITIAL_OLD_SPACE_MB): no
 * mark-compact, and so none of what follows one, in a sweep of tens of thousands of seeds.
 *
 * Only GC placement and timing change, never what a program computes: traces are
 * byte-identical either way. Library code never calls this on its own; instead a world's
 * run-long state is made by classes and array copies, which carry no allocation site
 * (src/sim/untracked.ts), so that under V8's defaults a naive run leaves no site pretenured
 * (bench/pretenuring.ts). The CLI calls this first thing; library users running long sweeps
 * can call it (or start node with --no-allocation-site-pretenuring). OVERSOLD_V8_DEFAULTS=1
 * leaves V8 alone (for measuring, or if a future V8 objects).
 */
export function tuneGcForSweeps(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  if (env.OVERSOLD_V8_DEFAULTS === '1') return false;
  setFlagsFromString('--no-allocation-site-pretenuring');
  setFlagsFromString(`--initial-old-space-size=${SWEEP_INITIAL_OLD_SPACE_MB}`);
  return true;
}
