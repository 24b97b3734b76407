/**
 * Label layout for the report's SVGs: no two text boxes may overlap. Each label has a few
 * candidate positions in order of preference; it takes the first that collides with nothing
 * placed before it, or is left out (its words stay in the element's tooltip). Boxes are
 * estimated, not measured (the HTML is rendered before any browser sees it), so the estimate
 * errs wide: a monospace ASCII glyph is 0.6 em in every common monospace font, anything else
 * (arrows, ✗, ·) is given a full em.
 */
export interface Box {
  readonly x: number;
  /** Top edge. */
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export type Anchor = 'start' | 'middle' | 'end';

/** Room kept between two labels. */
const GAP_PX = 2;

export function textWidthPx(text: string, fontPx: number): number {
  let em = 0;
  for (const ch of text) em += ch.charCodeAt(0) < 128 ? 0.62 : 1;
  return Math.ceil(em * fontPx);
}

/** The box of an SVG <text> drawn at (x, baseline y) with this anchor and font size. */
export function textBox(x: number, y: number, text: string, anchor: Anchor, fontPx: number): Box {
  const w = textWidthPx(text, fontPx);
  const left = anchor === 'start' ? x : anchor === 'middle' ? x - w / 2 : x - w;
  // ascent ~0.95 em above the baseline, descent ~0.3 em below
  return { x: left, y: y - fontPx, w, h: Math.ceil(fontPx * 1.3) };
}

export function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.w + GAP_PX && b.x < a.x + a.w + GAP_PX && a.y < b.y + b.h + GAP_PX && b.y < a.y + a.h + GAP_PX;
}

/** A candidate position: where the <text> goes, and its box. */
export interface Spot {
  readonly x: number;
  readonly y: number;
  readonly anchor: Anchor;
  readonly box: Box;
}

export function spot(x: number, y: number, text: string, anchor: Anchor, fontPx: number): Spot {
  return { x, y, anchor, box: textBox(x, y, text, anchor, fontPx) };
}

/**
 * Places labels one by one against everything placed so far. Boxes are bucketed by rows of
 * the plot so that a long diagram (thousands of labels) stays linear, not quadratic.
 */
export class LabelPlacer {
  private readonly rows = new Map<number, Box[]>();
  private static readonly ROW_PX = 32;

  /** Labels must lie between x0 and x1 (the picture's edges, or the axis). */
  constructor(private readonly x0 = -Infinity, private readonly x1 = Infinity) {}

  /** Reserves a box that is always drawn (node names, axis ticks, the first-bad rule's words). */
  reserve(box: Box): void {
    for (const r of this.rowsOf(box)) {
      const list = this.rows.get(r) ?? [];
      list.push(box);
      this.rows.set(r, list);
    }
  }

  /** The first free spot, now reserved, or null when every spot collides. */
  place(spots: readonly Spot[]): Spot | null {
    for (const s of spots) {
      if (this.free(s.box)) {
        this.reserve(s.box);
        return s;
      }
    }
    return null;
  }

  free(box: Box): boolean {
    if (box.x < this.x0 || box.x + box.w > this.x1) return false;
    for (const r of this.rowsOf(box)) {
      for (const b of this.rows.get(r) ?? []) if (overlaps(box, b)) return false;
    }
    return true;
  }

  private rowsOf(box: Box): number[] {
    const first = Math.floor((box.y - GAP_PX) / LabelPlacer.ROW_PX);
    const last = Math.floor((box.y + box.h + GAP_PX) / LabelPlacer.ROW_PX);
    const out: number[] = [];
    for (let r = first; r <= last; r++) out.push(r);
    return out;
  }
}
