import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { COMMANDS } from '../../src/cli/cli.js';
import { ANOMALY_TITLES, explainViolations } from '../../src/report/explain.js';
import { formatTimeline } from '../../src/report/timeline.js';
import { ROOT } from '../helpers/scenarios.js';
import * as F from './fixtures.js';

const read = (p: string) => readFileSync(resolve(ROOT, p), 'utf8');

describe('docs stay true', () => {
  it('docs/cli.md covers every command, its exit codes and the why/export JSON fields', () => {
    const doc = read('docs/cli.md');
    for (const cmd of Object.keys(COMMANDS)) expect(doc, cmd).toContain(`\`${cmd}`);
    for (const code of ['| 0 |', '| 1 |', '| 2 |']) expect(doc).toContain(code);
    for (const key of ['matchesRecording', 'necessary', 'sufficient', 'failsWithoutFaults', 'budgetExhausted', 'reproduces', 'breaks', 'unexpressed', 'firstBadTraceIndex']) {
      expect(doc, key).toContain(`"${key}"`);
    }
  });

  it('docs/reading-a-race.md shows the screenshot and names every anomaly class', () => {
    const doc = read('docs/reading-a-race.md');
    for (const width of [1400, 390]) {
      expect(doc).toContain(`](img/report-${width}.png)`);
      expect(existsSync(resolve(ROOT, `docs/img/report-${width}.png`))).toBe(true);
    }
    for (const title of Object.values(ANOMALY_TITLES)) expect(doc.toLowerCase(), title).toContain(title);
    expect(doc).toMatch(/xdg-open|open race\.html/);
  });

  it('the timeline pasted in docs/reading-a-race.md is what the acceptance run prints', () => {
    const doc = read('docs/reading-a-race.md');
    const block = doc.split('## The terminal timeline')[1].split('```')[1].split('\n').slice(1);
    const shown = block.slice(0, block.findIndex((l) => l.trim() === '…'));
    const r = F.naiveFlashSale();
    const actual = formatTimeline(r.trace!, { explanations: explainViolations(r.violations, r.trace!), violatingOrders: r.violations.flatMap((v) => v.orders) }).split('\n');
    expect(shown.length).toBeGreaterThan(10);
    expect(shown).toEqual(actual.slice(0, shown.length).map((l) => l.trimEnd()));
  });
});

describe('docs examples are what a user can paste', () => {
  const blocks = (doc: string) => [...doc.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);

  it('every TypeScript example imports oversold by its package name, never from ./src', () => {
    for (const f of ['README.md', 'docs/exploration.md', 'docs/scenarios.md', 'docs/writing-a-strategy.md', 'docs/strategies.md', 'docs/reading-a-race.md']) {
      for (const b of blocks(read(f))) expect(b, f).not.toMatch(/from '\.{1,2}\/src\/(scenario|explore|inventory|report|sim|cli|testing)\//);
    }
  });

  it('the README\'s test file and docs/exploration.md\'s are the same, and name a failing scenario file with formatProblem', () => {
    const readme = blocks(read('README.md')).find((b) => b.startsWith('// test/inventory.property.test.ts'))!;
    const exploration = blocks(read('docs/exploration.md')).find((b) => b.startsWith('// test/inventory.property.test.ts'))!;
    expect(readme).toBe(exploration);
    expect(readme).toContain('r.problems.map(formatProblem)');
  });

  it('the @fast-check/vitest recipe in docs/exploration.md is test/recipes/fastCheckVitest.test.ts (which runs in this suite)', () => {
    const recipe = blocks(read('docs/exploration.md')).find((b) => b.includes("from '@fast-check/vitest'"))!;
    const tested = read('test/recipes/fastCheckVitest.test.ts').replaceAll('../../examples/my-strategy', '../src/my-strategy');
    expect(recipe).toBe(tested);
  });

  it('the explore test in docs/exploration.md is test/recipes/explore.test.ts (which runs in this suite)', () => {
    const recipe = blocks(read('docs/exploration.md')).find((b) => b.startsWith('// test/inventory.explore.test.ts'))!;
    const tested = read('test/recipes/explore.test.ts').replace(/^\/\/ docs\/exploration\.md.*\n/, '// test/inventory.explore.test.ts\n');
    expect(recipe).toBe(tested);
  });
});
