/**
 * What one event touched, told by the nodes that know (the primary, the SQL server) to the
 * exhaustive explorer's independence relation (docs/exploration.md, "Partial-order
 * reduction"). Off (null on the Sim) except under `explore`: recording costs nothing elsewhere.
 *
 * An entry names an object of a node and how the event used it:
 *
 * - `r` read: commutes with other reads of the object;
 * - `w` write: conflicts with every use of the object;
 * - `i` blind increment (a counter nobody reads in that event): commutes with other increments,
 *   conflicts with reads and writes (the primary's sequence number: two commits each add one).
 *
 * A node that `describe`s itself for an event says "these entries are everything this event did
 * here"; otherwise the event stays dependent on everything at its node (the safe default, and
 * what every event of a node that never describes itself gets).
 */
export type AccessMode = 'r' | 'w' | 'i';

/** `mode:node/object`, e.g. `w:db/item:vase`: the form footprints travel in (cursor files too). */
export function accessEntry(mode: AccessMode, node: string, object: string): string {
  return `${mode}:${node}/${object}`;
}

export interface EventAccess {
  /** Entries touched (accessEntry form), in the order told, without repeats. */
  readonly entries: readonly string[];
  /** Nodes whose part in the event the entries describe completely. */
  readonly described: readonly string[];
}

export class AccessLog {
  private entries: string[] = [];
  private readonly seen = new Set<string>();
  private described: string[] = [];
  /** Nodes that describe (some of) their events: their events' time is not chained (docs/exploration.md). */
  private readonly refinedNodes = new Set<string>();

  /**
   * @param observed objects whose order some event was seen to observe, shared by every
   *   execution of one search (docs/exploration.md, "explore and SQL": a table's heap order).
   */
  constructor(
    readonly observed: Set<string> = new Set(),
    /** Treat every object as observed from the start (a search split over threads cannot start over). */
    private readonly observeAll = false,
  ) {}

  isObserved(object: string): boolean {
    return this.observeAll || this.observed.has(object);
  }

  /** True once an event observed an object not observed before: the search must start over. */
  newlyObserved = false;

  refine(node: string): void {
    this.refinedNodes.add(node);
  }

  isRefined(node: string): boolean {
    return this.refinedNodes.has(node);
  }

  touch(mode: AccessMode, node: string, object: string): void {
    const e = accessEntry(mode, node, object);
    if (this.seen.has(e)) return;
    this.seen.add(e);
    this.entries.push(e);
  }

  describe(node: string): void {
    if (!this.described.includes(node)) this.described.push(node);
  }

  /** An event depended on the order of `object` (a scan's rows in heap order). */
  observe(object: string): void {
    if (this.isObserved(object)) return;
    this.observed.add(object);
    this.newlyObserved = true;
  }

  /** What the event that just fired touched; starts the next event's record. */
  take(): EventAccess {
    const out = { entries: this.entries, described: this.described };
    this.entries = [];
    this.described = [];
    this.seen.clear();
    return out;
  }
}
