// The three ways the minimisers shrink a set of faults, over any items and any "still fails"
// test: each one alone (necessary), one at a time keeping what is not needed (greedy), and
// delta debugging (1-minimal). The runs behind "still fails" are the caller's (removal.ts).

/** Runs the property at most this often, then reports what it has (never a hang). */
export class Budget {
  used = 0;
  constructor(readonly max: number) {}
  get exhausted(): boolean {
    return this.used >= this.max;
  }
}

/**
 * Zeller's delta debugging (ddmin): a 1-minimal subset of `all` for which `fails` still holds,
 * given that it holds for `all`. Tries halves, then complements, then finer splits. Results
 * are cached by subset (same subset, same deterministic run); when the budget runs out the
 * smallest failing subset found so far is returned.
 */
export function ddmin<T>(all: readonly T[], fails: (subset: readonly T[]) => boolean, budget: Budget): T[] {
  const cache = new Map<string, boolean>();
  const pos = new Map(all.map((x, i) => [x, i]));
  const test = (s: readonly T[]): boolean => {
    const key = s.map((x) => pos.get(x)).join(',');
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    if (budget.exhausted) return false;
    budget.used++;
    const r = fails(s);
    cache.set(key, r);
    return r;
  };
  let c = [...all];
  if (c.length === 0 || test([])) return [];
  let n = 2;
  while (c.length >= 2 && !budget.exhausted) {
    const chunks = split(c, n);
    const sub = chunks.find((ch) => test(ch));
    if (sub) {
      c = sub;
      n = 2;
      continue;
    }
    const comp = n > 2 ? chunks.map((ch) => c.filter((x) => !ch.includes(x))).find((co) => test(co)) : undefined;
    if (comp) {
      c = comp;
      n = Math.max(n - 1, 2);
      continue;
    }
    if (n >= c.length) break;
    n = Math.min(c.length, 2 * n);
  }
  return c;
}

function split<T>(xs: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  let start = 0;
  for (let i = 0; i < n; i++) {
    const end = start + Math.floor((xs.length - start) / (n - i));
    out.push(xs.slice(start, end));
    start = end;
  }
  return out.filter((ch) => ch.length > 0);
}

/**
 * The items whose removal alone makes `fails` false: each is tried with every other item kept,
 * in order, one budget unit each (stops when the budget runs out).
 */
export function necessaryOf<T>(all: readonly T[], fails: (subset: readonly T[]) => boolean, budget: Budget): T[] {
  const out: T[] = [];
  for (const x of all) {
    if (budget.exhausted) break;
    budget.used++;
    if (!fails(all.filter((y) => y !== x))) out.push(x);
  }
  return out;
}

/**
 * Removes every item that `fails` does not need, one at a time, last first: an item stays
 * removed if the rest still fails. Linear in the items (a polish after fast-check's own
 * shrinking, which already did the heavy work), and what remains all matters together.
 */
export function dropUnneeded<T>(all: readonly T[], fails: (subset: readonly T[]) => boolean): T[] {
  const kept = [...all];
  for (let i = kept.length - 1; i >= 0; i--) {
    const without = [...kept.slice(0, i), ...kept.slice(i + 1)];
    if (fails(without)) kept.splice(i, 1);
  }
  return kept;
}

/**
 * Removes items until removing any one more makes `fails` false: the result is 1-minimal.
 * Runs are not monotonic in their faults (removing one can make another unneeded), so it
 * repeats its pass, last item first, until a whole pass removes nothing: that last pass is
 * the proof, one run per item kept. Items early in `all` are tried last, so a caller puts the
 * ones it would rather keep first.
 */
export function oneMinimal<T>(all: readonly T[], fails: (subset: readonly T[]) => boolean): { kept: T[]; runs: number } {
  let kept = [...all];
  let runs = 0;
  for (let changed = true; changed;) {
    changed = false;
    for (let i = kept.length - 1; i >= 0; i--) {
      const without = [...kept.slice(0, i), ...kept.slice(i + 1)];
      runs++;
      if (fails(without)) {
        kept = without;
        changed = true;
      }
    }
  }
  return { kept, runs };
}
