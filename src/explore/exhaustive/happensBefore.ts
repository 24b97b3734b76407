import { conflicts, parseEntry, type Entry } from './independence.js';

/**
 * Happens-before over the events of one execution, for DPOR's race check (execution.ts).
 *
 * `lastDependent` finds, for a newly fired event, the earlier events it depends on directly that
 * are not already ordered before another such event by the same object: per node, the last event
 * that took the whole node and the fine-grained events since; per object, the last write and
 * the reads and increments since. Every earlier dependent event happens before one of them
 * (a whole-node event or a write conflicts with everything before it there), so joining their
 * clocks gives the event's full happens-before set.
 *
 * Clocks are bitsets over event indices (executions are small: a few hundred events): event
 * j's set holds every event that happens before it.
 */
interface ObjectUse {
  write: number;
  uses: Array<{ readonly i: number; readonly mode: Entry['mode'] }>;
}

interface NodeUse {
  whole: number;
  since: number[];
  readonly objects: Map<string, ObjectUse>;
}

export class HappensBefore {
  private readonly sets: Uint32Array[] = [];
  private readonly nodes = new Map<string, NodeUse>();
  private lastGlobal = -1;
  private sinceGlobal: number[] = [];

  /** Does event a happen before event b (a < b)? */
  hb(a: number, b: number): boolean {
    const s = this.sets[b];
    const w = a >>> 5;
    return w < s.length && ((s[w] >>> (a & 31)) & 1) === 1;
  }

  /** a's set, with a itself, OR-ed into `into`. */
  private joinInto(into: Uint32Array, a: number): void {
    const s = this.sets[a];
    for (let w = 0; w < s.length; w++) into[w] |= s[w];
    into[a >>> 5] |= 1 << (a & 31);
  }

  /** The earlier events event j (footprint `res`) depends on directly, without repeats; records j's uses. */
  lastDependent(j: number, res: readonly string[]): number[] {
    const prevs: number[] = [];
    const add = (i: number): void => {
      if (i >= 0 && i !== j && !prevs.includes(i)) prevs.push(i);
    };
    const entries = res.map(parseEntry);
    if (entries.some((e) => e.node === '' && e.object === null)) {
      add(this.lastGlobal);
      for (const i of this.sinceGlobal) add(i);
      this.lastGlobal = j;
      this.sinceGlobal = [];
      this.nodes.clear();
      return prevs;
    }
    add(this.lastGlobal);
    this.sinceGlobal.push(j);
    // First what j depends on, then j's own uses (an event may read and write one object).
    for (const e of entries) {
      const n = this.nodes.get(e.node);
      if (n === undefined) continue;
      add(n.whole);
      if (e.object === null) {
        for (const i of n.since) add(i);
        continue;
      }
      const o = n.objects.get(e.object);
      if (o === undefined) continue;
      add(o.write);
      for (const u of o.uses) if (conflicts(e, { node: e.node, object: e.object, mode: u.mode })) add(u.i);
    }
    for (const e of entries) {
      let n = this.nodes.get(e.node);
      if (n === undefined) this.nodes.set(e.node, (n = { whole: -1, since: [], objects: new Map() }));
      if (e.object === null) {
        n.whole = j;
        n.since = [];
        n.objects.clear();
        continue;
      }
      if (n.whole === j) continue;
      if (n.since[n.since.length - 1] !== j) n.since.push(j);
      let o = n.objects.get(e.object);
      if (o === undefined) n.objects.set(e.object, (o = { write: -1, uses: [] }));
      if (e.mode === 'w') {
        o.write = j;
        o.uses = [];
      } else if (o.write !== j) o.uses.push({ i: j, mode: e.mode });
    }
    return prevs;
  }

  /**
   * Records j's clock: the join of its sources (creator, link predecessor, direct dependences).
   * Answers, for each direct dependence p, whether p reaches j only through that dependence
   * (a race: DPOR should try the other order).
   */
  record(j: number, causal: readonly number[], prevs: readonly number[]): number[] {
    const words = (j >>> 5) + 1;
    const set = new Uint32Array(words);
    for (const c of causal) if (c >= 0) this.joinInto(set, c);
    for (const p of prevs) this.joinInto(set, p);
    this.sets[j] = set;
    const races: number[] = [];
    for (const p of prevs) {
      const other = new Uint32Array(words);
      for (const c of causal) if (c >= 0) this.joinInto(other, c);
      for (const q of prevs) if (q !== p) this.joinInto(other, q);
      if (((other[p >>> 5] >>> (p & 31)) & 1) === 0) races.push(p);
    }
    return races;
  }
}
