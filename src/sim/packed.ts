/**
 * `xs.map(f)` for arrays that per-run code builds and hot code reads.
 *
 * Why not `Array.prototype.map`: the same call gives arrays of two different hidden classes
 * depending on the tier of its caller. The builtin (interpreter, Sparkplug) makes a PACKED
 * array; once the caller is optimised, TurboFan inlines `map` and makes a HOLEY one (it
 * allocates the full length first). Every function that read those arrays was optimised
 * against the first map, so when the caller tiered up it deoptimised ("wrong map") and was
 * compiled again: in a 24 000-seed sweep thread, 9 of 19 deoptimisations (the world's
 * constructor, wireNodes, the unit ledger's append and free, reserve, routesOf,
 * reserveAndCharge, the seeded source's ask and between), each followed by another TurboFan
 * compile of a large function on a helper thread. That warm-up is paid once per worker
 * thread (docs/benchmarks.md, "Sweep scaling (round 4)").
 *
 * Here the copy keeps `xs`'s elements kind (a PACKED source gives a PACKED result in every
 * tier) and its exact length (no spare capacity, as `push` onto `[]` would reserve), and the
 * stores only widen it (numbers to objects) the same way whichever tier runs them.
 */
export function mapPacked<T, U>(xs: readonly T[], f: (x: T, i: number) => U): U[] {
  const out = xs.slice() as unknown as U[];
  for (let i = 0; i < out.length; i++) out[i] = f(xs[i]!, i);
  return out;
}

/**
 * The empty "any value" array that emptyObjects() copies: a copy keeps its elements kind and,
 * unlike a literal made per call, has no allocation site for V8 to pretenure (src/sim/untracked.ts).
 */
const NO_OBJECTS: unknown[] = [null];
NO_OBJECTS.pop();

/**
 * An empty array whose elements kind is already "any value" (V8's PACKED_ELEMENTS). A `[]`
 * literal starts as small integers and changes hidden class at its first push of anything
 * else: in a run's event queue and a paused node's deferred work that is every run, and the
 * optimised `push` (in the queue's push, in `whenRunning`), compiled against the first class
 * it saw, deoptimised ("not a Smi") and was compiled again in every sweep thread.
 */
export function emptyObjects<T>(): T[] {
  return NO_OBJECTS.slice() as T[];
}
