import type { InvariantName, Violation } from './invariants.js';

/** What a lazy violation's words are: the sentence, and the orders when they come with it. */
export interface Told {
  readonly message: string;
  readonly orders: readonly string[];
}

/**
 * A violation whose sentence (and, given no orders, its list of orders) is written the first
 * time someone reads it: a sweep of a broken strategy judges every run and reads the words of
 * one. A subclass keeps what the words need in private fields and writes them in tell().
 *
 * Why not `{ get message() {...} }`: an accessor in an object literal is a new closure per
 * object, so V8 gives each such object a dictionary of its own (two getters cannot share a
 * hidden class) and allocates the closure in the old generation, where, dead with its run, it
 * kept what the words read (the item's owners) alive through every young GC until a full one:
 * 1.7 KB per naive run (docs/benchmarks.md, "Receiver lookup and violation shape"). Here
 * `message` (and a lazy `orders`) is still an own enumerable accessor, in the same place among
 * the keys (JSON.stringify, spreads, structured clones and toEqual see it as before), but its
 * getter is one function for every LazyViolation: they share their hidden classes, and
 * nothing is allocated old.
 */
export abstract class LazyViolation implements Violation {
  // Assigned in the constructor, in this order (the order JSON.stringify writes them in).
  declare readonly invariant: InvariantName;
  declare readonly message: string;
  declare readonly orders: readonly string[];
  declare readonly units: readonly string[];
  #told: Told | null = null;

  static readonly #MESSAGE: PropertyDescriptor = {
    get(this: LazyViolation): string {
      return (this.#told ??= this.tell()).message;
    },
    enumerable: true,
    configurable: true,
  };

  static readonly #ORDERS: PropertyDescriptor = {
    get(this: LazyViolation): readonly string[] {
      return (this.#told ??= this.tell()).orders;
    },
    enumerable: true,
    configurable: true,
  };

  /** `orders` null: the orders come with the words (tell()), read as lazily as the sentence. */
  protected constructor(invariant: InvariantName, orders: readonly string[] | null, units: readonly string[]) {
    this.invariant = invariant;
    Object.defineProperty(this, 'message', LazyViolation.#MESSAGE);
    if (orders === null) Object.defineProperty(this, 'orders', LazyViolation.#ORDERS);
    else this.orders = orders;
    this.units = units;
  }

  /** The words (and the orders, if the constructor had none), written once, at the first read. */
  protected abstract tell(): Told;
}
