/**
 * The independence relation (docs/exploration.md, "Partial-order reduction: the relation").
 * An event's footprint is a list of entries:
 *
 * - `''`: the whole world (a partition, the end of the fault phase): dependent with everything;
 * - `node`: everything at that node (the default for every event, and the only form for nodes
 *   that never describe their events);
 * - `mode:node/object` (sim/access.ts): one object of a node, read (`r`), written (`w`) or
 *   blindly incremented (`i`), as the primary and the SQL server describe their events.
 *
 * Two events are dependent iff an entry of one conflicts with an entry of the other: the whole
 * world with anything; a node with the same node or with any object of it; two uses of the same
 * object unless both read or both increment.
 */
export interface Entry {
  /** '' for the whole world. */
  readonly node: string;
  /** null: the whole node (or the world). */
  readonly object: string | null;
  readonly mode: 'r' | 'w' | 'i';
}

const PARSED = new Map<string, Entry>();

export function parseEntry(s: string): Entry {
  let e = PARSED.get(s);
  if (e === undefined) {
    const slash = s.indexOf('/');
    const fine = slash > 2 && s[1] === ':' && (s[0] === 'r' || s[0] === 'w' || s[0] === 'i');
    e = fine ? { node: s.slice(2, slash), object: s.slice(2), mode: s[0] as Entry['mode'] } : { node: s, object: null, mode: 'w' };
    if (PARSED.size > 100_000) PARSED.clear();
    PARSED.set(s, e);
  }
  return e;
}

export function conflicts(x: Entry, y: Entry): boolean {
  if (x.node === '' && x.object === null) return true;
  if (y.node === '' && y.object === null) return true;
  if (x.node !== y.node) return false;
  if (x.object === null || y.object === null) return true;
  if (x.object !== y.object) return false;
  return x.mode === 'w' || y.mode === 'w' || x.mode !== y.mode;
}

export function dependent(a: readonly string[], b: readonly string[]): boolean {
  for (const sa of a) {
    const x = parseEntry(sa);
    for (const sb of b) if (conflicts(x, parseEntry(sb))) return true;
  }
  return false;
}
