// A storage engine built by hand for its unit tests: an InstantDB with the given stock, and
// everything it reports to the outside (the events the trace records, the commits replicas
// apply), captured in order. No simulator, no network: each test calls `apply` and reads back.
import { InstantDB, type DbEvent, type ItemState, type LogEntry } from '../../src/inventory/instantDb.js';

export interface Engine {
  readonly db: InstantDB;
  /** Every event the engine emitted, oldest first. */
  readonly events: DbEvent[];
  /** Every log entry shipped to replicas, oldest first. */
  readonly commits: LogEntry[];
  /** The item's state at the primary. */
  item(id: string): ItemState;
  /** Forgets the events and commits captured so far (the setup of a test is not its point). */
  clear(): void;
}

export function engine(stock: Record<string, number> = { vase: 3 }): Engine {
  const db = new InstantDB(Object.entries(stock).map(([id, n]) => ({ id, stock: n })));
  const events: DbEvent[] = [];
  const commits: LogEntry[] = [];
  db.onEvent = (e) => events.push(e);
  db.onCommit = (e) => commits.push(e);
  return {
    db,
    events,
    commits,
    item: (id) => db.items.get(id)!,
    clear: () => {
      events.length = 0;
      commits.length = 0;
    },
  };
}

/** Owners of every unit of an item, `vase#1` first (index 0 of `owners` is never a unit). */
export function ownersOf(it: ItemState): (readonly string[])[] {
  return it.owners.slice(1);
}

/** The reservation holding every unit of an item, `vase#1` first. */
export function reservedOf(it: ItemState): (string | null)[] {
  return it.reservedBy.slice(1);
}
