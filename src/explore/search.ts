/**
 * Search strategies over schedules, for sweeps and single runs: which scheduler each seed's run
 * uses in the windowed timing model (docs/exploration.md, "Searching for schedules: random and
 * PCT"). Both are driven by the seed alone, so a sweep stays a pure function of its seed range.
 *
 * - `random`: the choice scheduler over the seeded `schedule` stream (every ready event equally
 *   likely at every step): what `--timing windowed` does anyway.
 * - `pct`: PCT (src/sim/pct.ts), priorities per logical process with d-1 change points over
 *   the calm run's k steps.
 */
import { PCT_DEPTH_MAX } from '../sim/pct.js';

export type Search = { readonly kind: 'random' } | { readonly kind: 'pct'; readonly depth: number };

export const SEARCH_KINDS = ['random', 'pct'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

/** `--pct-depth` when not given: bugs of depth 1-3 are what PCT's authors found most of. */
export const PCT_DEPTH_DEFAULT = 3;
export { PCT_DEPTH_MAX };

/** The search as `--search` and `--pct-depth` name it, e.g. "pct d=2". */
export function searchName(s: Search): string {
  return s.kind === 'pct' ? `pct d=${s.depth}` : 'random';
}

/** The flags that repeat a search on a command line (a replay command): "" for none. */
export function searchFlags(s: Search | null | undefined): string {
  if (!s) return '';
  return s.kind === 'pct' ? ` --search pct --pct-depth ${s.depth}` : ' --search random';
}

/** A search from its flag values; a bad combination is a RangeError the CLI reports as usage. */
export function searchOf(kind: string | undefined, depth: number | undefined): Search | null {
  if (kind === undefined) {
    if (depth !== undefined) throw new RangeError('--pct-depth only applies to --search pct');
    return null;
  }
  if (kind === 'random') {
    if (depth !== undefined) throw new RangeError('--pct-depth only applies to --search pct, not --search random');
    return { kind: 'random' };
  }
  if (kind === 'pct') return { kind: 'pct', depth: depth ?? PCT_DEPTH_DEFAULT };
  throw new RangeError(`unknown search "${kind}" (random or pct)`);
}
