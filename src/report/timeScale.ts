/**
 * Virtual time to y for the report's diagrams. The scale is ordinal, not linear: every instant
 * something happens gets its own y, in order, and the gap to the next grows with the time
 * between them but is capped, so a long quiet stretch is squeezed and a burst of events one
 * millisecond apart is spread out. The diagrams say so next to their axis.
 */
export interface TimeScale {
  readonly y: (t: number) => number;
  /** The y of the last instant. */
  readonly bottom: number;
  readonly endT: number;
  /** Every distinct instant, ascending. */
  readonly instants: readonly number[];
}

/** How far the first instant sits below `top`. */
const FIRST_PX = 16;
/** At most this much room between two instants, however long apart they are. */
const GAP_PX_MAX = 60;
/** At least this much room between two different instants. */
const GAP_PX_MIN = 5;
/** A short run is drawn about this tall. */
const PLOT_PX = 1400;

export function timeScale(times: readonly number[], top: number): TimeScale {
  const instants = [...new Set(times)].sort((a, b) => a - b);
  const endT = instants[instants.length - 1] ?? 0;
  const pxPerMs = Math.min(2, Math.max(0.02, PLOT_PX / Math.max(1, endT)));
  const ys = new Map<number, number>();
  let y = top + FIRST_PX;
  let prev = instants[0] ?? 0;
  for (const t of instants) {
    y += Math.min(GAP_PX_MAX, Math.max(t === prev ? 0 : GAP_PX_MIN, (t - prev) * pxPerMs));
    ys.set(t, Math.round(y * 10) / 10);
    prev = t;
  }
  const bottom = y;
  return { y: (t) => ys.get(t) ?? bottom, bottom, endT, instants };
}
