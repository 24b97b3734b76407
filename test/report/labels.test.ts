import { describe, expect, it } from 'vitest';
import { LabelPlacer, overlaps, spot, textBox, textWidthPx } from '../../src/report/labels.js';
import { operationsSvg } from '../../src/report/svgOps.js';
import { timeScale } from '../../src/report/timeScale.js';

describe('label layout', () => {
  it('estimates text wide: 0.62 em per ASCII glyph, a full em for anything else', () => {
    expect(textWidthPx('o14', 10)).toBe(19);
    expect(textWidthPx('o1 → o2', 10)).toBe(Math.ceil(6 * 6.2 + 10));
  });

  it('boxes follow the anchor', () => {
    expect(textBox(100, 50, 'abcde', 'start', 10)).toEqual({ x: 100, y: 40, w: 31, h: 13 });
    expect(textBox(100, 50, 'abcde', 'end', 10).x).toBe(69);
    expect(textBox(100, 50, 'abcde', 'middle', 10).x).toBe(84.5);
  });

  it('keeps a gap: boxes closer than 2 px overlap, boxes further apart do not', () => {
    const a = { x: 0, y: 0, w: 10, h: 10 };
    expect(overlaps(a, { x: 11, y: 0, w: 5, h: 5 })).toBe(true);
    expect(overlaps(a, { x: 12.5, y: 0, w: 5, h: 5 })).toBe(false);
    expect(overlaps(a, { x: 0, y: 12.5, w: 5, h: 5 })).toBe(false);
  });

  it('takes the first free spot, then the next, and gives up when every spot is taken', () => {
    const p = new LabelPlacer();
    const here = spot(100, 50, 'timed out', 'start', 10);
    const below = spot(100, 65, 'timed out', 'start', 10);
    expect(p.place([here, below])).toBe(here);
    expect(p.place([here, below])).toBe(below);
    expect(p.place([here, below])).toBeNull();
  });

  it('keeps labels inside its bounds, and reserved boxes are never covered', () => {
    const p = new LabelPlacer(0, 200);
    expect(p.place([spot(5, 20, 'left of the edge', 'end', 10)])).toBeNull();
    expect(p.place([spot(195, 20, 'past the edge', 'start', 10)])).toBeNull();
    p.reserve(textBox(50, 100, 'app1', 'middle', 12));
    expect(p.place([spot(50, 100, 'o1', 'middle', 10)])).toBeNull();
    expect(p.place([spot(50, 140, 'o1', 'middle', 10)])).not.toBeNull();
  });

  it('finds collisions across its row buckets (a tall box against a short one far down)', () => {
    const p = new LabelPlacer();
    p.reserve({ x: 0, y: 0, w: 50, h: 200 });
    expect(p.free({ x: 10, y: 150, w: 5, h: 5 })).toBe(false);
    expect(p.free({ x: 10, y: 260, w: 5, h: 5 })).toBe(true);
  });
});

describe('the operation view', () => {
  const scale = timeScale([0, 10, 20, 30, 40, 100], 44);
  const orders = [
    { id: 'o1', app: 'app1', startMs: 0, endMs: 30, answer: 'ORDER_PLACED' },
    { id: 'o2', app: 'app1', startMs: 10, endMs: 20, answer: 'OUT_OF_STOCK' },
    { id: 'o3', app: 'app1', startMs: 40, endMs: 100, answer: 'FAILED' },
    { id: 'o4', app: 'app2', startMs: 10, endMs: null, answer: 'unknown' },
  ];
  const drawn = operationsSvg(orders, ['o2'], new Set(['o3']), scale, 500);
  const bar = (id: string) => {
    const m = new RegExp(`<g class="op ([^"]*)"[^>]*data-order="${id}"[^>]*><rect x="([\\d.]+)" y="([\\d.]+)" width="\\d+" height="([\\d.]+)"`).exec(drawn.svg);
    if (!m) throw new Error(`no bar for ${id}`);
    return { cls: m[1], x: Number(m[2]), y: Number(m[3]), h: Number(m[4]) };
  };

  it('draws each order from arrival to answer; overlapping orders side by side, a later one back in the first lane', () => {
    expect(bar('o1').y).toBe(scale.y(0));
    expect(bar('o1').y + bar('o1').h).toBeCloseTo(scale.y(30), 5);
    expect(bar('o2').x).toBeGreaterThan(bar('o1').x);
    expect(bar('o3').x).toBe(bar('o1').x);
  });

  it('colours by the answer, outlines explained and violating orders, and leaves an unanswered order open to the end', () => {
    expect(bar('o1').cls).toBe('op-placed');
    expect(bar('o2').cls).toBe('op-out-of-stock focus0');
    expect(bar('o3').cls).toBe('op-failed viol');
    expect(bar('o4').cls).toBe('op-unanswered open');
    expect(bar('o4').y + bar('o4').h).toBeCloseTo(scale.bottom, 5);
    expect([...drawn.keys].sort()).toEqual(['focus0', 'op-failed', 'op-out-of-stock', 'op-placed', 'op-unanswered', 'viol']);
  });
});
