// The HTML report in a real headless browser (Debian's chromium, driven by playwright-core):
// it renders the diagram, the chart and the explanation, logs no console errors, answers a
// hover, and leaves a screenshot in artifacts/ (docs/img/report.png is refreshed when missing
// or when OVERSOLD_UPDATE_DOCS_IMG=1).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
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
const SCREENSHOT = resolve(ARTIFACTS, 'report-screenshot.png');
const DOCS_IMG = resolve(ROOT, 'docs/img/report.png');

const haveChromium = existsSync(CHROMIUM);
function writeReport(name: string, r: RunResult, replay: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = resolve(ARTIFACTS, name);
  writeFileSync(file, renderHtmlReport(htmlInputFromRun(r, replay)));
  return file;
}

async function open(browser: Browser, file: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
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

describe.skipIf(!haveChromium)(`HTML report in headless Chromium${haveChromium ? '' : ` (skipped: ${CHROMIUM} not installed; apt-get install chromium)`}`, () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('renders the naive flash-sale race: diagram, chart, explanation, hover; no console errors; screenshot', async () => {
    const r = F.naiveFlashSale();
    const file = writeReport('report.html', r, 'npx oversold run scenarios/flash-sale.json --strategy naive --seed 7');
    const { page, errors } = await open(browser, file);
    const messages = r.trace!.filter((e) => e.type === 'deliver' || e.type === 'drop').length;
    expect(await page.locator('svg.spacetime').count()).toBe(1);
    expect(await page.locator('svg.spacetime g.msg').count()).toBe(messages);
    expect(await page.locator('svg.spacetime g.lifeline').count()).toBe(5);
    expect(await page.locator('svg.spacetime g.firstbad').count()).toBe(1);
    expect(await page.locator('svg.chart').count()).toBe(1);
    expect(await page.locator('svg.chart path.series').count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator('article.explanation').count()).toBe(1);
    await expect.poll(() => page.locator('article.explanation .anomaly').first().textContent()).toBe('lost update');
    expect(await page.locator('article.explanation').textContent()).toContain('vase#10 went to o1 and o14');
    const box = await page.locator('svg.spacetime').boundingBox();
    expect(box!.width).toBeGreaterThan(500);
    expect(box!.height).toBeGreaterThan(500);
    // hovering a message shows its details
    const target = page.locator('svg.spacetime g.msg.focus0 line').first();
    await target.scrollIntoViewIfNeeded();
    // a quarter of the way along the arrow (a line's box has the line as its diagonal)
    const at = (await target.boundingBox())!;
    await page.mouse.move(at.x + at.width / 4, at.y + at.height / 4);
    expect(await page.locator('#tip').isVisible()).toBe(true);
    expect(await page.locator('#tip').textContent()).toMatch(/o1 read .* sent \d+ ms/);
    await page.mouse.move(5, 5);
    await page.setViewportSize({ width: 1400, height: 1700 });
    await page.screenshot({ path: SCREENSHOT });
    expect(statSync(SCREENSHOT).size).toBeGreaterThan(10_000);
    if (!existsSync(DOCS_IMG) || process.env.OVERSOLD_UPDATE_DOCS_IMG === '1') {
      mkdirSync(resolve(ROOT, 'docs/img'), { recursive: true });
      copyFileSync(SCREENSHOT, DOCS_IMG);
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it('stays readable for a 15-order chaos run: drops, pauses, partition and a zombie write', async () => {
    const r = runOnce(libraryScenario('flash-sale-chaos'), { seed: 3, strategy: builtinStrategy('lock-lease'), keepTrace: true });
    expect(r.verdict).toBe('violated');
    const file = writeReport('report-chaos.html', r, 'npx oversold run scenarios/flash-sale-chaos.json --strategy lock-lease --seed 3');
    const { page, errors } = await open(browser, file);
    expect(await page.locator('svg.spacetime g.msg.dropped').count()).toBeGreaterThan(0);
    expect(await page.locator('svg.spacetime rect.paused').count()).toBeGreaterThan(0);
    expect(await page.locator('svg.spacetime rect.partition').count()).toBe(1);
    expect(await page.locator('svg.chart').count()).toBe(1);
    expect(await page.locator('article.explanation .anomaly').allTextContents()).toContain('zombie write after lease expiry');
    expect(await page.locator('table tbody tr').count()).toBe(15);
    await page.screenshot({ path: resolve(ARTIFACTS, 'report-chaos-screenshot.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});
