import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { htmlInputFromRun, renderHtmlReport, type HtmlReportInput } from '../../src/report/html.js';
import { esc } from '../../src/report/escape.js';
import { stockSeries } from '../../src/report/stock.js';
import { cli } from '../helpers/cli.js';
import * as F from './fixtures.js';

function count(html: string, re: RegExp): number {
  return (html.match(re) ?? []).length;
}

/** One picture of the page (legend swatches, drawn with the same classes, left out). */
function svg(html: string, cls: string): string {
  const start = html.indexOf(`<svg class="${cls}"`);
  if (start < 0) return '';
  return html.slice(start, html.indexOf('</svg>', start) + '</svg>'.length);
}

describe('HTML report', () => {
  const r = F.naiveFlashSale();
  const html = renderHtmlReport(htmlInputFromRun(r, 'npx oversold run scenarios/flash-sale.json --strategy naive --seed 7'));

  it('is one self-contained file: no network, no external resources', async () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/\b(src|href)="(?!#|data:)/);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg")/);
    expect(html).not.toMatch(/@import|url\((?!#)/);
  });

  it('draws every delivered or dropped message as a hoverable arrow', async () => {
    const messages = r.trace!.filter((e) => e.type === 'deliver' || e.type === 'drop').length;
    expect(count(svg(html, 'spacetime'), /<g class="msg/g)).toBe(messages);
    // every message and every event mark carries its hover text
    const groups = svg(html, 'spacetime').match(/<g class="(msg|ev)[^>]*>.*?<\/g>/g) ?? [];
    expect(groups.length).toBeGreaterThan(messages);
    for (const g of groups) expect(g).toMatch(/<title>[^<]+<\/title><\/g>$/);
  });

  it('has a stock chart per item, the first bad event marked, and the explanation in words', async () => {
    expect(count(html, /<svg class="chart"/g)).toBe(1);
    expect(count(svg(html, 'spacetime'), /<g class="firstbad"/g)).toBe(1);
    expect(html).toContain('<span class="anomaly">lost update</span>');
    expect(html).toContain('vase#10 went to o1 and o14');
    // two violations, one chain: one box naming both invariants
    expect(count(html, /<article class="explanation"/g)).toBe(1);
    expect(html).toMatch(/<span class="inv">no-oversell<\/span> <span class="inv">unique-units<\/span>/);
  });

  it('escapes every text that comes from user data', async () => {
    const evil = '<script>alert("x")</script>&\'';
    const input: HtmlReportInput = {
      ...htmlInputFromRun(r, evil),
      scenario: evil,
      strategy: evil,
      violations: [{ invariant: 'no-oversell', message: evil, orders: [evil], units: [] }],
      orders: [{ id: evil, app: evil, startMs: 0, endMs: null, answer: evil }],
    };
    const out = renderHtmlReport(input);
    expect(out).not.toContain('<script>alert');
    expect(out).toContain(esc(evil));
    expect(count(out, /<script>/g)).toBe(1);
  });

  it('esc neutralises markup in text and attributes', async () => {
    expect(esc('<a href="x">&\'</a>')).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;');
  });

  it('an OK run says every invariant held', async () => {
    const ok = renderHtmlReport(htmlInputFromRun({ ...r, violations: [], verdict: 'ok' }, 'x'));
    expect(ok).toContain('Every invariant held.');
    expect(ok).toContain('class="verdict ok"');
  });

  it('counts the run as `run` does: one count, one meaning', async () => {
    const res = await cli(['run', 'scenarios/flash-sale.json', '--strategy', 'naive', '--seed', '7']);
    const words = `${r.virtualTimeMs} ms virtual, ${r.events} events, ${r.choicesAsked} choices`;
    expect(res.stdout).toContain(words);
    expect(html).toContain(words);
    expect(html).not.toContain('trace events');
  });

  it('has a legend entry for every key it drew, and no other', () => {
    const keys = new Set([...html.matchAll(/data-key="([^"]+)"/g)].flatMap((m) => m[1].split(' ')));
    const legend = new Set([...html.matchAll(/data-legend="([^"]+)"/g)].map((m) => m[1]));
    expect(keys.size).toBeGreaterThan(8);
    expect([...keys].filter((k) => !legend.has(k))).toEqual([]);
    expect([...legend].filter((k) => !keys.has(k))).toEqual([]);
  });

  it('says the diagram\'s time axis is not linear, and draws an operation bar per order', () => {
    expect(html).toContain('ms ↓ (not to scale)');
    expect(count(svg(html, 'ops'), /<g class="op /g)).toBe(r.orderRecords.length);
  });

  it('has a dark colour scheme, a layout for narrow screens, filter and find', () => {
    expect(html).toContain('@media (prefers-color-scheme: dark)');
    expect(html).toMatch(/@media \(max-width:\d+px\)/);
    expect(html).toContain('id="only-focus"');
    expect(html).toContain('id="find"');
  });

  it('`run --html FILE` writes the report and says how to open it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oversold-html-'));
    const file = join(dir, 'report.html');
    const res = await cli(['run', 'scenarios/flash-sale.json', '--strategy', 'naive', '--seed', '7', '--html', file]);
    expect(res.code).toBe(1);
    expect(res.stdout).toContain(`html     file://${file}`);
    // the same run, so the same bytes as the report rendered in-process above
    expect(readFileSync(file, 'utf8')).toBe(html);
  });
});

describe('stock over time', () => {
  it('replays counter, reserved, sold and promised units from the primary\'s events', async () => {
    const r = F.naiveFlashSale();
    const [s] = stockSeries(r.trace!, [{ id: 'vase', stock: 10 }]);
    expect(s.points[0]).toMatchObject({ t: 0, available: 10, reserved: 0, sold: 0, claimed: 0 });
    const last = s.points[s.points.length - 1];
    // 15 orders each wrote "one fewer" over stale numbers: the counter says 8, two vases are
    // sold, and 15 were promised
    expect(last).toMatchObject({ available: 8, sold: 2, claimed: 15 });
  });

  it('counts reservations while they are held', async () => {
    const r = F.leakedReservation();
    const [s] = stockSeries(r.trace!, [{ id: 'vase', stock: 1 }]);
    expect(s.points.at(-1)).toMatchObject({ available: 0, reserved: 1, sold: 0 });
  });
});
