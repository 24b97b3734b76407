/**
 * A zone (a difference-bound matrix, as in UPPAAL): one time variable per event of the
 * execution that is still needed, and every constraint between them of the form
 * `t_b - t_a <= w`, kept closed (all-pairs shortest paths) so that the tightest bound between
 * any two variables is one lookup. Slot 0 is time 0. The timed semantics (execution.ts,
 * docs/exploration.md "The timed semantics") ask it one question per candidate event: may it
 * fire now at its node, given everything fired so far?
 *
 * Cost: only live variables are kept (time 0, the last event fired at each node, the pending
 * events); a fired event that is no longer the last at any node is projected out, which in a
 * closed matrix is dropping its row and column. So the matrix holds tens of variables, a
 * firing check is O(k) lookups and a firing O(n^2).
 *
 * Weights are integers (held in a Float64Array, exact below 2^53); Infinity means unbounded.
 */
export const ZERO = 0;

/** An edge into the variable being fired: `t_e - t_from <= w`. */
export interface InEdge {
  readonly from: number;
  readonly w: number;
}

export class Zone {
  private cap: number;
  /** d[i * cap + j]: the tightest known upper bound on t_j - t_i. */
  private d: Float64Array;
  /** Live slots, slot 0 (time 0) first. */
  private readonly live: number[] = [ZERO];
  private readonly isLive: boolean[] = [true];
  private readonly free: number[] = [];
  private high = 1;

  constructor(capacity = 64) {
    this.cap = capacity;
    this.d = new Float64Array(capacity * capacity).fill(Infinity);
    this.d[0] = 0;
  }

  /** Live variables (time 0 included): what the matrix holds now. */
  get size(): number {
    return this.live.length;
  }

  /** The tightest upper bound on t_b - t_a. */
  ub(a: number, b: number): number {
    return this.d[a * this.cap + b];
  }

  /** A new variable x with lo <= t_x - t_from <= hi (hi may be Infinity). Always consistent: x is fresh. */
  add(from: number, lo: number, hi: number): number {
    const x = this.slot();
    const c = this.cap;
    const d = this.d;
    for (const i of this.live) {
      d[i * c + x] = d[i * c + from] + hi;
      d[x * c + i] = d[from * c + i] - lo;
    }
    d[x * c + x] = 0;
    this.live.push(x);
    this.isLive[x] = true;
    return x;
  }

  /** Adds t_b - t_a <= w; false (and nothing changed) if that contradicts what is known. */
  constrain(a: number, b: number, w: number): boolean {
    const c = this.cap;
    const d = this.d;
    if (d[b * c + a] + w < 0) return false;
    // In place is safe: with no negative cycle, row a's and column b's entries do not change.
    for (const i of this.live) {
      const ia = d[i * c + a] + w;
      if (ia === Infinity) continue;
      for (const j of this.live) {
        const v = ia + d[b * c + j];
        if (v < d[i * c + j]) d[i * c + j] = v;
      }
    }
    return true;
  }

  /**
   * Whether e may take place after every `after` variable (t_a <= t_e) and no later than each
   * `into` bound (t_e - t_from <= w) without contradiction. All the new edges touch e, so a
   * negative cycle through them passes e once: it leaves e by one edge and comes back by
   * another, and the part in between uses known bounds only. Three kinds of cycle to check.
   */
  canPlace(e: number, after: readonly number[], into: readonly InEdge[]): boolean {
    const c = this.cap;
    const d = this.d;
    for (const a of after) if (d[a * c + e] < 0) return false;
    for (const y of into) {
      if (d[e * c + y.from] + y.w < 0) return false;
      for (const a of after) if (d[a * c + y.from] + y.w < 0) return false;
    }
    return true;
  }

  /** Adds the constraints canPlace checked (call it only when canPlace said yes). */
  place(e: number, after: readonly number[], into: readonly InEdge[]): void {
    const c = this.cap;
    const d = this.d;
    const live = this.live;
    // Shortest paths in the new graph pass e at most once: i ~> e and e ~> j, each either known
    // or through one new edge.
    const toE = new Float64Array(live.length);
    const fromE = new Float64Array(live.length);
    for (let k = 0; k < live.length; k++) {
      const i = live[k];
      let best = d[i * c + e];
      for (const y of into) {
        const v = d[i * c + y.from] + y.w;
        if (v < best) best = v;
      }
      toE[k] = best;
      let out = d[e * c + i];
      for (const a of after) {
        const v = d[a * c + i];
        if (v < out) out = v;
      }
      fromE[k] = out;
    }
    for (let x = 0; x < live.length; x++) {
      const ti = toE[x];
      if (ti === Infinity) continue;
      const row = live[x] * c;
      for (let y = 0; y < live.length; y++) {
        const v = ti + fromE[y];
        if (v < d[row + live[y]]) d[row + live[y]] = v;
      }
    }
  }

  /** Projects x out (its constraints on the others stay, through the closure). */
  release(x: number): void {
    if (x === ZERO || !this.isLive[x]) return;
    this.isLive[x] = false;
    const k = this.live.indexOf(x);
    this.live[k] = this.live[this.live.length - 1];
    this.live.pop();
    const c = this.cap;
    for (let i = 0; i < this.high; i++) {
      this.d[i * c + x] = Infinity;
      this.d[x * c + i] = Infinity;
    }
    this.free.push(x);
  }

  isAlive(x: number): boolean {
    return this.isLive[x] === true;
  }

  private slot(): number {
    const f = this.free.pop();
    if (f !== undefined) return f;
    if (this.high === this.cap) this.grow();
    return this.high++;
  }

  private grow(): void {
    const old = this.d;
    const oc = this.cap;
    const c = oc * 2;
    const d = new Float64Array(c * c).fill(Infinity);
    for (let i = 0; i < oc; i++) d.set(old.subarray(i * oc, i * oc + oc), i * c);
    this.d = d;
    this.cap = c;
  }
}
