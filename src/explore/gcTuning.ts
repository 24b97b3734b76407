import { setFlagsFromString } from 'node:v8';

/**
 * Turns off V8's allocation-site pretenuring for this process (every thread: V8 flags are
 * process-wide). Why, measured on flash-sale-chaos (docs/benchmarks.md, "Garbage"):
 *
 * A run allocates ~200 KB of short-lived objects and then drops them all. V8 watches which
 * allocation sites' objects survive young-generation GCs, and a GC that lands in the middle of
 * a run sees nearly all of that run's objects alive, so it decides to allocate those sites'
 * objects straight into the old generation ("pretenure", 240 sites over a sweep). Those old
 * objects die with their run but are only reclaimed by a full GC, and until then they keep the
 * young objects they point to alive through every scavenge: 13-20 % of everything allocated
 * survived young GC (0.4 % in a kernel-only sweep), was copied and promoted, and the old
 * generation filled fast enough for a full GC every ~0.6 s. Without pretenuring: 90 % less
 * copied, 5x less GC pause, 1 sim thread keeps 1.12 cores busy instead of 1.27 (V8's helper
 * threads did that copying), and throughput rises by 15-30 %.
 *
 * Only GC placement changes, never what a program computes: traces are byte-identical either
 * way. Library code never calls this on its own; instead a world's run-long state is made by
 * classes and array copies, which carry no allocation site (src/sim/untracked.ts), so that
 * under V8's defaults a naive run leaves no site pretenured (bench/pretenuring.ts). The CLI calls this first thing; library users running long sweeps can call it (or
 * start node with --no-allocation-site-pretenuring). OVERSOLD_V8_DEFAULTS=1 leaves V8 alone
 * (for measuring, or if a future V8 objects).
 */
export function tuneGcForSweeps(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  if (env.OVERSOLD_V8_DEFAULTS === '1') return false;
  setFlagsFromString('--no-allocation-site-pretenuring');
  return true;
}
