/** One line of an order: `qty` units of `item`. */
export interface OrderLine {
  readonly item: string;
  readonly qty: number;
}

/** An order as the simulator hands it to a strategy's placeOrder. */
export interface Order {
  /** "o1", "o2", ... in workload order. */
  readonly id: string;
  /** The app server that handles it ("app1"...). */
  readonly app: string;
  readonly atMs: number;
  readonly lines: readonly OrderLine[];
}

/** What placeOrder answers the customer. */
export type OrderAnswer = 'ORDER_PLACED' | 'OUT_OF_STOCK' | 'FAILED';
export const ORDER_ANSWERS: readonly OrderAnswer[] = ['ORDER_PLACED', 'OUT_OF_STOCK', 'FAILED'];

/** The calls the DB, lock, payment and SQL services understand (the `call` of a message): a SQL statement is `sql`, its COMMIT `sql-commit`. */
export const CALL_KINDS = [
  'read', 'write', 'decrement', 'cas', 'reserve', 'confirm', 'release',
  'charge', 'refund', 'lock', 'unlock', 'fenced-write', 'reservations', 'sql', 'sql-commit',
] as const;
export type CallKind = (typeof CALL_KINDS)[number];

/** Unit ids per item, built once for the process ("vase#3"): every claimed unit names one. */
const UNIT_IDS = new Map<string, string[]>();

export function unitId(item: string, n: number): string {
  let ids = UNIT_IDS.get(item);
  if (ids === undefined) {
    // A user's item names are input: past a few hundred items, build the string each time.
    if (UNIT_IDS.size >= 256) return `${item}#${n}`;
    UNIT_IDS.set(item, (ids = []));
  }
  if (n >= 0 && n < 4096 && Number.isInteger(n)) {
    let id = ids[n];
    if (id === undefined) {
      id = ids[n] = `${item}#${n}`;
      UNIT_PARTS.set(id, { item, n });
    }
    return id;
  }
  return `${item}#${n}`;
}

/**
 * The item and number of each unit id unitId() built once, by the id: a confirm or a release
 * names its units by id, and parsing each (two slices, a number parse, a map lookup by a new
 * string) was 2.6 % of a flash-sale-chaos run (docs/benchmarks.md, round 6).
 */
const UNIT_PARTS = new Map<string, { readonly item: string; readonly n: number }>();

/** The item and 1-based number of a unit id (`vase#3`): what unitId(item, n) was called with. */
export function unitParts(u: string): { readonly item: string; readonly n: number } {
  const known = UNIT_PARTS.get(u);
  if (known !== undefined) return known;
  const i = u.lastIndexOf('#');
  return { item: u.slice(0, i), n: Number(u.slice(i + 1)) };
}

/**
 * Total quantity per item over an order's lines, in first-appearance order: a cart may name
 * one item on several lines, and every check of "enough" must add them up.
 */
export function qtyByItem(lines: readonly OrderLine[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const l of lines) m.set(l.item, (m.get(l.item) ?? 0) + l.qty);
  return m;
}

/**
 * The first item (in the order of its first line) whose lines together ask for more than
 * `stockOf` has, with that total; null when every item has enough. What a loop over
 * qtyByItem() decides, without a Map and its entry arrays per request (a reserve or a
 * decrement asks this of every order): orders have a line or two, so the quadratic scan is
 * shorter than the Map.
 */
export function firstShortItem(lines: readonly OrderLine[], stockOf: ReadonlyMap<string, { readonly stock: number }>): { readonly item: string; readonly qty: number } | null {
  for (let i = 0; i < lines.length; i++) {
    const item = lines[i].item;
    let seen = false;
    for (let j = 0; j < i && !seen; j++) seen = lines[j].item === item;
    if (seen) continue;
    let qty = lines[i].qty;
    for (let j = i + 1; j < lines.length; j++) if (lines[j].item === item) qty += lines[j].qty;
    if (stockOf.get(item)!.stock < qty) return { item, qty };
  }
  return null;
}

/** Total quantity of an order, all lines. */
export function orderQty(o: Order): number {
  let q = 0;
  for (const l of o.lines) q += l.qty;
  return q;
}
