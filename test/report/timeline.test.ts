import { describe, expect, it } from 'vitest';
import pc from 'picocolors';
import { explainViolations } from '../../src/report/explain.js';
import { formatTimeline } from '../../src/report/timeline.js';
import { colorsFor } from '../../src/report/colors.js';
import { runOnce, builtinStrategy, type RunResult } from '../../src/explore/run.js';
import { inlineScenario, libraryScenario } from '../helpers/scenarios.js';
import { cli } from '../helpers/cli.js';
import * as F from './fixtures.js';

const ANSI = /\u001b\[[0-9;]*m/g;
const visible = (s: string) => s.replace(ANSI, '');

function timeline(r: RunResult, extra: Parameters<typeof formatTimeline>[1] = {}): string {
  const explanations = explainViolations(r.violations, r.trace!);
  return formatTimeline(r.trace!, { explanations, violatingOrders: r.violations.flatMap((v) => v.orders), ...extra });
}

function expectFits(text: string, width = 100): void {
  for (const line of text.split('\n')) expect([...visible(line)].length, line).toBeLessThanOrEqual(width);
}

describe('terminal timeline', () => {
  it('acceptance: `run flash-sale --strategy naive --seed 7 --timeline` shows the lost update between two named orders on one unit, within 100 columns', async () => {
    const r = await cli(['run', 'scenarios/flash-sale.json', '--strategy', 'naive', '--seed', '7', '--timeline']);
    expect(r.code).toBe(1);
    const out = r.stdout;
    expect(out).toContain('lost update: vase#10 went to o1 and o14');
    // both orders' writes of vase#10 are drawn as arrows into the db column, the second marked
    expect(out).toMatch(/├─+▶.*o1 write 10→9 → vase#10/);
    expect(out).toMatch(/» +399 .*o14 write 9→9 → vase#10.*first bad/);
    expectFits(out);
    expect(out).not.toMatch(ANSI); // piped, and NO_COLOR: no colours
  });

  it('has a column per node and elides the uninteresting part of a long run, counting what it hid', async () => {
    const text = timeline(F.naiveFlashSale());
    const header = text.split('\n').find((l) => l.includes('app1'))!;
    for (const n of ['app1', 'app2', 'app3', 'db', 'replica1']) expect(header).toContain(n);
    expect(text).toMatch(/… \d+ events …/);
    // kept: every event of the explained orders
    for (const o of ['o1', 'o14']) {
      expect(text).toContain(`${o} starts`);
      expect(text).toContain(`${o} → ORDER_PLACED`);
    }
    // elided: an order no explanation names and whose unit is not contested
    expect(text).not.toContain('o15 starts');
  });

  it('names each node in full when there is room, centred on its lifeline ("replica1", not "replic1")', async () => {
    const text = timeline(F.naiveFlashSale());
    const lines = text.split('\n');
    const header = lines.find((l) => l.includes('app1'))!;
    const names = [...header.matchAll(/\S+/g)].slice(1);
    expect(names.map((m) => m[0])).toEqual(['app1', 'app2', 'app3', 'db', 'replica1']);
    // Every name covers its lifeline's column (read off the first row that draws all of them).
    const row = lines.find((l) => (l.match(/[│┊]/g) ?? []).length === names.length)!;
    const lifelines = [...row].flatMap((ch, i) => (ch === '│' || ch === '┊' ? [i] : []));
    names.forEach((m, k) => {
      expect(m.index, m[0]).toBeLessThanOrEqual(lifelines[k]);
      expect(m.index + m[0].length - 1, m[0]).toBeGreaterThanOrEqual(lifelines[k]);
    });
  });

  it('abbreviates only names that do not fit, all alike, one space apart, within the width', async () => {
    const s = inlineScenario({
      items: [{ id: 'vase', stock: 5 }],
      topology: { appServers: 12, replicas: [{}, {}, {}] },
      workload: { generate: { count: 20, windowMs: 300 } },
    });
    const r = runOnce(s, { seed: 5, strategy: builtinStrategy('naive'), keepTrace: true });
    for (const width of [100, 60]) {
      const header = timeline(r, { width }).split('\n').find((l) => /^ +ms /.test(l))!;
      expect(header.length).toBeLessThanOrEqual(width);
      const names = header.trim().split(/ +/).slice(1);
      expect(names.slice(0, 3)).toEqual(['a1', 'a2', 'a3']);
      expect(names.at(-1)).toMatch(/^(replica3|app\d+)$/); // the last one may use the label area
    }
  });

  it('names a primary read once, with what it saw ("o1 read = 10", not "o1 read read")', async () => {
    const s = inlineScenario({
      items: [{ id: 'vase', stock: 10 }],
      topology: { appServers: 2 },
      network: { delayMsMin: 50, delayMsMax: 50 },
      workload: { orders: [{ atMs: 0, app: 'app1', item: 'vase' }, { atMs: 20, app: 'app2', item: 'vase' }] },
      strategy: { name: 'lock-lease' },
    });
    const text = timeline(runOnce(s, { seed: 1, strategy: builtinStrategy('lock-lease'), keepTrace: true }), { maxRows: 1000 });
    expect(text).toMatch(/o1 read = 10\b/);
    expect(text).not.toMatch(/\b(\w+) \1\b/);
  });

  it('a short run is shown whole', async () => {
    const text = timeline(F.staleRead());
    expect(text).not.toMatch(/… \d+ events? …/);
    expect(text).toContain('o2 read = 10 (1 behind)');
  });

  it('dropped messages end in ✗ and pauses are dotted lifelines', async () => {
    expect(timeline(F.doubleApply())).toMatch(/✗───+┤ +o1 decrement reply ✗ step/);
    const text = timeline(F.zombieWrite(), { maxRows: 1000 });
    expect(text).toMatch(/app1 paused 8000 ms/);
    expect(text).toMatch(/^ +\d+ +┊/m);
    expect(text).toContain('zombie write after lease expiry');
    expectFits(text);
  });

  it('partitions and crashes are drawn across the nodes they cut', async () => {
    const s = inlineScenario({
      items: [{ id: 'vase', stock: 3 }],
      topology: { appServers: 2 },
      workload: { orders: [{ atMs: 0, app: 'app1', item: 'vase' }, { atMs: 0, app: 'app2', item: 'vase' }] },
      faults: { steps: [
        { kind: 'partition', a: ['app1'], b: ['db'], atMs: 60, healAtMs: 400 },
        { kind: 'crash', node: 'app2', atMs: 30, restartAtMs: 600 },
      ] },
    });
    const r = runOnce(s, { seed: 3, strategy: builtinStrategy('naive'), keepTrace: true });
    const text = timeline(r, { maxRows: 1000 });
    expect(text).toMatch(/╪.*╪.*partition app1 \| db/);
    expect(text).toMatch(/╳.*app2 crashed/);
    expect(text).toContain('healed app1 | db');
  });

  it('stays within the width with many nodes, and at other widths', async () => {
    const s = inlineScenario({
      items: [{ id: 'vase', stock: 5 }],
      topology: { appServers: 12, replicas: [{}, {}, {}] },
      network: { dropRequestPerMille: 100 },
      workload: { generate: { count: 20, windowMs: 300 } },
    });
    const r = runOnce(s, { seed: 5, strategy: builtinStrategy('naive'), keepTrace: true });
    for (const width of [100, 80, 60]) expectFits(timeline(r, { width, colors: pc.createColors(true) }), width);
  });

  it('colours only when asked: none for NO_COLOR or a pipe, some for a TTY', async () => {
    const r = F.naiveFlashSale();
    expect(timeline(r, { colors: colorsFor({ isTTY: false }, {}) })).not.toMatch(ANSI);
    expect(timeline(r, { colors: colorsFor({ isTTY: true }, { NO_COLOR: '1' }) })).not.toMatch(ANSI);
    const coloured = timeline(r, { colors: colorsFor({ isTTY: true }, {}) });
    expect(coloured).toMatch(ANSI);
    expectFits(coloured);
    expect(visible(coloured)).toBe(timeline(r));
  });

  it('the library flash sale shows the same picture every time', async () => {
    const a = timeline(runOnce(libraryScenario('flash-sale'), { seed: 7, keepTrace: true }));
    const b = timeline(runOnce(libraryScenario('flash-sale'), { seed: 7, keepTrace: true }));
    expect(a).toBe(b);
  });
});
