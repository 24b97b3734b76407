/**
 * Arrays for state that lives as long as a run, made so that V8 never pretenures them.
 *
 * Why: V8 attaches an allocation site to every array and object literal (and `new Array`) and
 * watches how many of its objects survive a young-generation GC. Objects that live for a whole
 * run (the world's logs, ledgers, queues, records) are all alive when a GC lands mid-run, so
 * under V8's defaults their sites are pretenured: later runs allocate them straight into the old
 * generation, where they die with their run but are only reclaimed by a full GC, and until then
 * keep the young objects they point to alive through every scavenge (src/explore/gcTuning.ts;
 * docs/benchmarks.md, "Round 6: pretenuring under V8's defaults"). A library user's process
 * runs with those defaults, and oversold must not set V8 flags there.
 *
 * Arrays copied by a builtin (`slice`, `concat`) and objects made by `new SomeClass()` carry no
 * allocation site, so V8 always allocates them young: measured on node 20 (bench/pretenuring.ts).
 * A copy of an empty array keeps the copied array's elements kind, so `emptyArray()` starts
 * as `[]` does (small integers) and `emptyObjects()` (src/sim/packed.ts) as "any value".
 * (`Array.of(x)` has no site either, but is a slow builtin call: 185 ns against 13 ns for
 * `[x]` and 21 ns for `arrayOfOne(x)`, measured on node 20 with pretenuring off.)
 *
 * Closures have a rule of their own, outside allocation sites (so --no-allocation-site-pretenuring
 * does not change it): V8's parser takes a function literal assigned straight to a property
 * (`node.handler = (call, body) => ...`) for a long-lived method and allocates every closure
 * made from it in the old generation. A world's handlers and hooks wired that way died old with
 * their run and, through their context, kept its young objects alive in every scavenge until a
 * full GC: the link between one new-world run and the next (docs/benchmarks.md, "Round 6c: the
 * new-world path"). So such a closure goes through a local first (`const handler = ...;
 * node.handler = handler`), or into a constructor's argument; test/inventory/newWorldRetention.test.ts
 * finds the direct form in src/.
 */
const NO_ELEMENTS: never[] = [];

/** What arrayOfOne copies: one "any value" slot, overwritten in the copy. */
const ONE_SLOT: unknown[] = [null];

/** `[]`, without an allocation site. */
export function emptyArray<T>(): T[] {
  return NO_ELEMENTS.slice();
}

/** `[x]` (exact size, "any value" elements), without an allocation site. */
export function arrayOfOne<T>(x: T): T[] {
  const a = ONE_SLOT.slice() as T[];
  a[0] = x;
  return a;
}
