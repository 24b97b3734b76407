/**
 * fast-check replays a path "R:s1:s2:..." by generating and discarding R cases, then walking
 * the shrink tree taking candidate s_i at each level: the cost is linear in every number, so
 * `--path 99999999999999999999:1` would run for ever. A path fast-check printed has R below
 * the --runs of the check that found it, and shrink indices far below the bound here.
 */
export const SHRINK_INDEX_MAX = 100_000;

/** Why `path` cannot be a path printed by a check of `numRuns` runs, or null if it can. */
export function checkPathProblem(path: string, numRuns: number): string | null {
  if (!/^\d+(:\d+)*$/.test(path)) return `--path takes the path fast-check printed (digits and colons, e.g. 4:2:0), got ${JSON.stringify(path)}`;
  const [first, ...rest] = path.split(':');
  if (first.length > 10 || Number(first) >= numRuns) {
    return `--path ${shorten(path)}: its first number (${shorten(first)}, the failing run) must be below --runs (${numRuns}): give the --runs of the check that printed it`;
  }
  const big = rest.find((s) => s.length > 6 || Number(s) > SHRINK_INDEX_MAX);
  if (big !== undefined) return `--path ${shorten(path)}: shrink step ${shorten(big)} is above ${SHRINK_INDEX_MAX}, more than any shrink fast-check prints`;
  return null;
}

function shorten(s: string): string {
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}
