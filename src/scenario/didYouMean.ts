// "Did you mean" suggestions by edit distance. Inputs are bounded (keys and names of at most
// a few dozen characters) but a hostile file can still send long strings, so both are capped.

const COMPARED_LENGTH_MAX = 64;

/** Optimal-string-alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[(i - 1) * cols + j] + 1, d[i * cols + j - 1] + 1, d[(i - 1) * cols + j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[(i - 2) * cols + j - 2] + 1);
      }
      d[i * cols + j] = best;
    }
  }
  return d[rows * cols - 1];
}

/**
 * How far `needle` is from `candidate`: the edit distance, or, when the needle is a mangled
 * start of the candidate ("dealyMs" for "delayMsMin"), the distance to that prefix plus one.
 */
function typoDistance(needle: string, candidate: string): number {
  const full = editDistance(needle, candidate);
  if (needle.length < 4 || needle.length >= candidate.length) return full;
  return Math.min(full, editDistance(needle, candidate.slice(0, needle.length)) + 1);
}

/** The closest candidate, if it is close enough to be a plausible typo; ties go to the first. */
export function closestMatch(input: string, candidates: readonly string[]): string | undefined {
  if (input.length === 0 || input.length > COMPARED_LENGTH_MAX) return undefined;
  const needle = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate.length > COMPARED_LENGTH_MAX) continue;
    const distance = typoDistance(needle, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best === undefined) return undefined;
  // Short words tolerate one slip (none for one letter: "x" is not a typo of "a"); longer
  // ones a third of their length ("delyMsMin" -> "delayMsMin").
  const allowed = needle.length <= 3
    ? Math.min(1, needle.length - 1)
    : Math.max(2, Math.floor(Math.max(needle.length, best.length) / 3));
  return bestDistance <= allowed ? best : undefined;
}

export function didYouMean(input: string, candidates: readonly string[]): string | undefined {
  const match = closestMatch(input, candidates);
  return match === undefined ? undefined : `did you mean ${JSON.stringify(match)}?`;
}
