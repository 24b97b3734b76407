/**
 * Which garbage collection setting a bench ran under, for its header line. The CLI and the
 * sweep's worker threads turn V8's allocation-site pretenuring off (src/explore/gcTuning.ts:
 * they are oversold's own processes); a library user's process (vitest, a script calling
 * runOnce) runs with V8's defaults, which oversold must not change. The goal rows are measured
 * both ways: `node --import tsx bench/X.ts` and `node --no-allocation-site-pretenuring --import tsx bench/X.ts`.
 */
export function gcMode(): string {
  const args = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  return args.includes('--no-allocation-site-pretenuring')
    ? 'GC: pretenuring off (--no-allocation-site-pretenuring, as the CLI and the sweep\'s workers run)'
    : 'GC: V8 defaults (pretenuring on, as in a library user\'s process)';
}
