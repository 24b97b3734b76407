/// <reference lib="dom" />
// The HTML report in a real headless browser (Debian's chromium, driven by playwright-core),
// at 1400 px and at 390 px (a phone), in the light and the dark colour scheme: no two text
// boxes overlap, every label is shown or in its element's tooltip, axe-core finds no serious
// or critical violation over the whole page, the tooltip stays inside the viewport, every
// colour and line drawn has a legend entry, filter and find work. Screenshots at both widths
// go to artifacts/ and, when missing or with OVERSOLD_UPDATE_DOCS_IMG=1, to docs/img/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { htmlInputFromRun, renderHtmlReport } from '../../src/report/html.js';
import { runOnce, builtinStrategy, type RunResult } from '../../src/explore/run.js';
import { libraryScenario, ROOT } from '../helpers/scenarios.js';
import * as F from './fixtures.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ARTIFACTS = resolve(ROOT, 'artifacts');
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const WIDTHS = [1400, 390] as const;

const haveChromium = existsSync(CHROMIUM);

function writeReport(name: string, r: RunResult, replay: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = resolve(ARTIFACTS, name);
  writeFileSync(file, renderHtmlReport(htmlInputFromRun(r, replay)));
  return file;
}

interface Opened {
  readonly page: Page;
  readonly errors: string[];
}

async function open(browser: Browser, file: string, width: number, colorScheme: 'light' | 'dark' = 'light'): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width, height: width > 500 ? 1000 : 844 }, colorScheme });
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (req) => {
    if (!req.url().startsWith('file:') && !req.url().startsWith('data:')) errors.push(`network request: ${req.url()}`);
  });
  await page.goto(pathToFileURL(file).href);
  return { page, errors };
}

interface TextBox {
  readonly text: string;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** Every rendered <text> of each picture (legend swatches aside), with its box in page pixels. */
async function textBoxes(page: Page): Promise<TextBox[][]> {
  return page.evaluate(() => [...document.querySelectorAll('svg.spacetime, svg.ops, svg.chart')].map((svg) =>
    [...svg.querySelectorAll('text')].map((t) => {
      const b = t.getBoundingClientRect();
      return { text: t.textContent ?? '', x: b.x + scrollX, y: b.y + scrollY, w: b.width, h: b.height };
    }).filter((b) => b.w > 0 && b.h > 0)));
}

function overlapping(boxes: readonly TextBox[]): string[] {
  const out: string[] = [];
  // Glyph boxes of adjacent lines may touch; anything more than half a pixel is an overlap.
  const e = 0.5;
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i];
      const b = boxes[j];
      if (a.x + e < b.x + b.w && b.x + e < a.x + a.w && a.y + e < b.y + b.h && b.y + e < a.y + a.h) out.push(`"${a.text}" and "${b.text}"`);
    }
  }
  return out;
}

/** Per element that wants a label: the label, whether it is drawn, and its tooltip text. */
async function labels(page: Page): Promise<Array<{ label: string; shown: boolean; tip: string }>> {
  return page.evaluate(() => [...document.querySelectorAll('svg [data-label]')].map((el) => {
    const label = el.getAttribute('data-label') ?? '';
    const shown = [...el.querySelectorAll(':scope > text')].some((t) => t.textContent === label && t.getBoundingClientRect().width > 0);
    return { label, shown, tip: el.querySelector(':scope > title')?.textContent ?? '' };
  }));
}

/** Colours drawn in the pictures and colours shown in the legends (computed, so CSS counts). */
async function colours(page: Page): Promise<{ drawn: Record<string, string>; legend: string[] }> {
  return page.evaluate(() => {
    const paint = (el: Element): string[] => {
      const s = getComputedStyle(el);
      const tag = el.tagName.toLowerCase();
      const out: string[] = [];
      if (tag !== 'line' && tag !== 'path' && s.fill !== 'none') out.push(s.fill);
      if (s.stroke !== 'none' && s.stroke !== 'rgba(0, 0, 0, 0)' && s.strokeOpacity !== '0') out.push(s.stroke);
      return out;
    };
    const marks = 'line:not(.hit):not(.tick), path, circle, rect';
    const drawn: Record<string, string> = {};
    for (const el of document.querySelectorAll(`svg.spacetime :is(${marks}), svg.ops :is(${marks}), svg.chart :is(${marks})`)) {
      if (el.closest('defs') || el.closest('.axis')) continue;
      for (const c of paint(el)) drawn[c] ??= `${el.tagName} in ${(el.closest('[data-key]') ?? el).getAttribute('data-key') ?? el.getAttribute('class')}`;
    }
    const legend = new Set<string>();
    for (const el of document.querySelectorAll(`.legend svg :is(${marks})`)) for (const c of paint(el)) legend.add(c);
    return { drawn, legend: [...legend] };
  });
}

async function axeSerious(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const r = await (window as unknown as { axe: { run(ctx: Document): Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> }> } }).axe.run(document);
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.nodes.join(' | ')}`);
}

/**
 * axe-core does not judge SVG text, so the pictures' text colours are checked here against
 * the panel they are drawn on: WCAG AA, 4.5:1.
 */
async function lowContrastSvgText(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const rgb = (c: string) => (c.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number);
    const lum = (c: string) => {
      const [r, g, b] = rgb(c).map((v) => v / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const ratio = (a: string, b: string) => (Math.max(lum(a), lum(b)) + 0.05) / (Math.min(lum(a), lum(b)) + 0.05);
    const panel = getComputedStyle(document.querySelector('.scroll')!).backgroundColor;
    const bad = new Set<string>();
    for (const t of document.querySelectorAll('svg.spacetime text, svg.ops text, svg.chart text')) {
      const fill = getComputedStyle(t).fill;
      if (ratio(fill, panel) < 4.5) bad.add(`${fill} on ${panel}: "${t.textContent}" (${ratio(fill, panel).toFixed(2)}:1)`);
    }
    return [...bad];
  });
}

/** Hovers an element scrolled to a corner of the viewport; returns the tooltip's box. */
async function tooltipAt(page: Page, selector: string, corner: 'end' | 'start'): Promise<{ x: number; y: number; w: number; h: number; text: string; vw: number; vh: number }> {
  const el = page.locator(selector).first();
  await el.evaluate((e, c) => e.scrollIntoView({ block: c, inline: c }), corner);
  const b = (await el.boundingBox())!;
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
  await expect.poll(() => page.locator('#tip').isVisible()).toBe(true);
  const tip = (await page.locator('#tip').boundingBox())!;
  const vw = await page.evaluate(() => innerWidth);
  const vh = await page.evaluate(() => innerHeight);
  return { x: tip.x, y: tip.y, w: tip.width, h: tip.height, text: (await page.locator('#tip').textContent()) ?? '', vw, vh };
}

describe.skipIf(!haveChromium)(`HTML report in headless Chromium${haveChromium ? '' : ` (skipped: ${CHROMIUM} not installed; apt-get install chromium)`}`, () => {
  let browser: Browser;
  let naive: string;
  let chaos: string;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    naive = writeReport('report.html', F.naiveFlashSale(), 'npx oversold run scenarios/flash-sale.json --strategy naive --seed 7');
    const r = runOnce(libraryScenario('flash-sale-chaos'), { seed: 3, strategy: builtinStrategy('lock-lease'), keepTrace: true });
    expect(r.verdict).toBe('violated');
    chaos = writeReport('report-chaos.html', r, 'npx oversold run scenarios/flash-sale-chaos.json --strategy lock-lease --seed 3');
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('renders the naive flash-sale race: diagram, operations, chart, explanation; no console errors or requests', async () => {
    const r = F.naiveFlashSale();
    const { page, errors } = await open(browser, naive, 1400);
    const messages = r.trace!.filter((e) => e.type === 'deliver' || e.type === 'drop').length;
    expect(await page.locator('svg.spacetime g.msg').count()).toBe(messages);
    expect(await page.locator('svg.spacetime g.lifeline').count()).toBe(5);
    expect(await page.locator('svg.spacetime g.firstbad').count()).toBe(1);
    expect(await page.locator('svg.ops g.op').count()).toBe(15);
    expect(await page.locator('svg.chart').count()).toBe(1);
    expect(await page.locator('svg.chart path.series').count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator('article.explanation .anomaly').first().textContent()).toBe('lost update');
    expect(await page.locator('article.explanation').textContent()).toContain('vase#10 went to o1 and o14');
    // the operations sit beside the messages, on the same time scale
    const d = (await page.locator('svg.spacetime').boundingBox())!;
    const o = (await page.locator('svg.ops').boundingBox())!;
    expect(o.x).toBeGreaterThanOrEqual(d.x + d.width - 1);
    expect(o.height).toBe(d.height);
    expect(errors).toEqual([]);
    await page.close();
  });

  for (const width of WIDTHS) {
    it(`at ${width} px: no two text boxes overlap, and every label is drawn or in its tooltip (both reports)`, async () => {
      for (const file of [naive, chaos]) {
        const { page, errors } = await open(browser, file, width);
        const pictures = await textBoxes(page);
        expect(pictures.length).toBeGreaterThanOrEqual(3);
        for (const boxes of pictures) expect(overlapping(boxes), file).toEqual([]);
        const ls = await labels(page);
        const shown = ls.filter((l) => l.shown).length;
        expect(shown, `${file}: labels drawn`).toBeGreaterThanOrEqual(10);
        for (const l of ls) expect(l.shown || l.tip.includes(l.label), `label "${l.label}" is neither drawn nor in its tooltip "${l.tip}"`).toBe(true);
        expect(errors).toEqual([]);
        await page.close();
      }
    });
  }

  it('every label drawn at 1400 px is drawn or in its tooltip at 390 px', async () => {
    for (const file of [naive, chaos]) {
      const wide = await open(browser, file, 1400);
      const drawn = (await labels(wide.page)).filter((l) => l.shown).map((l) => l.label);
      await wide.page.close();
      const phone = await open(browser, file, 390);
      const there = await labels(phone.page);
      for (const label of drawn) expect(there.some((l) => l.label === label && (l.shown || l.tip.includes(label))), label).toBe(true);
      await phone.page.close();
    }
  });

  for (const [width, scheme] of [[1400, 'light'], [1400, 'dark'], [390, 'light'], [390, 'dark']] as const) {
    it(`axe-core over the whole page at ${width} px, ${scheme}: no serious or critical violation`, async () => {
      const { page } = await open(browser, naive, width, scheme);
      expect(await axeSerious(page)).toEqual([]);
      expect(await lowContrastSvgText(page)).toEqual([]);
      await page.close();
    });
  }

  for (const width of WIDTHS) {
    it(`at ${width} px the tooltip opens inside the viewport, at either corner`, async () => {
      const { page } = await open(browser, naive, width);
      for (const [selector, corner] of [['svg.ops g.op rect', 'end'], ['svg.spacetime g.msg.focus0 line.hit', 'end'], ['svg.spacetime g.msg.focus1 line.hit', 'start']] as const) {
        const t = await tooltipAt(page, selector, corner);
        expect(t.text.length).toBeGreaterThan(0);
        expect(t.x, `${selector}: left edge`).toBeGreaterThanOrEqual(0);
        expect(t.y, `${selector}: top edge`).toBeGreaterThanOrEqual(0);
        expect(t.x + t.w, `${selector}: right edge`).toBeLessThanOrEqual(t.vw);
        expect(t.y + t.h, `${selector}: bottom edge`).toBeLessThanOrEqual(t.vh);
      }
      // on a phone a tap shows it too
      if (width < 500) {
        await page.mouse.move(1, 1);
        await page.locator('svg.ops g.op rect').first().tap().catch(async () => page.locator('svg.ops g.op rect').first().click());
        expect(await page.locator('#tip').isVisible()).toBe(true);
      }
      await page.close();
    });
  }

  it('the legend lists every key drawn, and every colour and line drawn has a swatch of its colour', async () => {
    for (const file of [naive, chaos]) {
      for (const scheme of ['light', 'dark'] as const) {
        const { page } = await open(browser, file, 1400, scheme);
        const keys = await page.evaluate(() => [...new Set([...document.querySelectorAll('svg [data-key]')].flatMap((el) => (el.getAttribute('data-key') ?? '').split(' ')))]);
        const legend = await page.evaluate(() => [...document.querySelectorAll('[data-legend]')].map((el) => el.getAttribute('data-legend')));
        expect(keys.length).toBeGreaterThan(8);
        expect(keys.filter((k) => !legend.includes(k))).toEqual([]);
        expect(legend.filter((k) => !keys.includes(k!))).toEqual([]);
        const c = await colours(page);
        const missing = Object.entries(c.drawn).filter(([colour]) => !c.legend.includes(colour)).map(([colour, where]) => `${colour} (${where})`);
        expect(missing, `${file} ${scheme}`).toEqual([]);
        await page.close();
      }
    }
  });

  it('a partition shades only the lifelines it cuts off, and says which links were cut', async () => {
    const { page } = await open(browser, chaos, 1400);
    const band = page.locator('svg.spacetime g.band.partition').first();
    expect(await band.getAttribute('data-label')).toMatch(/^cut \S+ (\||->) \S+$/);
    const cut = (await band.getAttribute('data-label'))!.replace(/^cut /, '').split(/ \| | -> /).flatMap((s) => s.split(','));
    expect(await band.locator('rect').count()).toBe(cut.length);
    expect(await band.locator('title').first().textContent()).toMatch(/^partition: .* cut off from /);
    await page.close();
  });

  it('filters to the explained orders and finds an order or a unit', async () => {
    const { page } = await open(browser, naive, 1400);
    const all = await page.locator('svg.spacetime g.msg:visible').count();
    await page.locator('#only-focus').check();
    const focus = await page.locator('svg.spacetime g.msg:visible').count();
    expect(focus).toBeGreaterThan(0);
    expect(focus).toBeLessThan(all);
    expect(await page.locator('svg.spacetime g.msg:visible:not(.focus0):not(.focus1)').count()).toBe(0);
    expect(await page.locator('svg.ops g.op:visible').count()).toBe(2);
    expect(await page.locator('#orders tbody tr:visible').count()).toBe(2);
    await page.locator('#only-focus').uncheck();
    await page.locator('#find').fill('vase#10');
    expect(await page.locator('svg .found').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('#found').textContent()).toMatch(/^\d+ matches$/);
    await page.locator('#find').fill('o7');
    expect(await page.locator('#orders tr.found').count()).toBe(1);
    expect(await page.locator('svg.ops g.op.found').count()).toBe(1);
    await page.locator('#find').fill('o99');
    expect(await page.locator('#found').textContent()).toBe('nothing found');
    await page.close();
  });

  it('screenshots at both widths (docs/img/report-1400.png, docs/img/report-390.png)', async () => {
    for (const width of WIDTHS) {
      const { page } = await open(browser, naive, width);
      await page.setViewportSize({ width, height: width > 500 ? 1700 : 1600 });
      const shot = resolve(ARTIFACTS, `report-${width}.png`);
      await page.screenshot({ path: shot });
      const docs = resolve(ROOT, `docs/img/report-${width}.png`);
      if (!existsSync(docs) || process.env.OVERSOLD_UPDATE_DOCS_IMG === '1') copyFileSync(shot, docs);
      await page.close();
    }
  });
});
