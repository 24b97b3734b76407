// The scenario library (scenarios/*.json): every file is a valid, self-describing teaching
// scenario whose `expect` block holds at its default seed, and the "none" ones are not lucky.
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatProblem, loadScenarioFile, type Scenario } from '../../src/scenario/index.js';
import { runOnce } from '../../src/explore/run.js';
import { checkExpectation } from '../../src/explore/expect.js';
import { STRATEGIES } from '../../src/inventory/strategies/index.js';
import type { TraceEvent } from '../../src/sim/trace.js';
import { cli } from '../helpers/cli.js';
import { libraryScenario, ROOT } from '../helpers/scenarios.js';
import { loadSqlParser } from '../../src/inventory/sql/parse.js';

// The SQL scenarios' strategies parse their statements with PostgreSQL's parser.
beforeAll(() => loadSqlParser());

const DIR = resolve(ROOT, 'scenarios');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
const SCHEMA_REF = './schema/scenario.schema.json';
/** About ten seconds of reading. */
const DESCRIPTION_WORDS_MAX = 70;
/** Files that predate the library and say more (their owners may shorten them). */
const LONG_DESCRIPTIONS = new Set<string>([]);
/** Seeds each "none" scenario must also survive (on top of its default seed). */
const EXTRA_SEEDS = 20;

function load(file: string): Scenario {
  const r = loadScenarioFile(resolve(DIR, file));
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  return r.scenario;
}

function broken(s: Scenario, seed?: number): string[] {
  return [...new Set(runOnce(s, { seed }).violations.map((v) => v.invariant as string))];
}

describe('scenarios/ (the library)', () => {
  it('has at least 12 scenarios, among them the ones the issue names', async () => {
    expect(FILES.length).toBeGreaterThanOrEqual(12);
    for (const f of ['seed-demo', 'flash-sale', 'stale-replica-read', 'lost-confirm-reply', 'lost-release', 'gc-pause-lock-lease',
      'gc-pause-lock-fencing', 'clock-skew-wall-clock-expiry', 'partition-mid-sale', 'duplicated-requests', 'app-crash-mid-order',
      'payment-failures-reservation-expiry', 'multi-item-cart', 'cart-chaos', 'crash-restart-after-lease']) {
      expect(FILES).toContain(`${f}.json`);
    }
  });

  it('docs/scenarios.md says which fault each scenario is for (its fault column names every file)', () => {
    const doc = readFileSync(resolve(DIR, '../docs/scenarios.md'), 'utf8');
    for (const f of FILES) {
      const row = doc.split('\n').find((l) => l.startsWith(`| [${f.replace(/\.json$/, '')}](../scenarios/${f})`));
      expect(row, f).toBeDefined();
      expect(row!.split(' | ')[1].trim().length, `${f}: fault column`).toBeGreaterThan(3);
    }
  });

  it('the carts-with-faults and the crash-after-lease scenarios fault what they say (carts, faults; a restart after the lease ran out)', () => {
    const carts = runOnce(libraryScenario('cart-chaos'), { keepTrace: true });
    expect(carts.trace!.some((e) => e.type === 'domain' && e.what === 'order-start' && Array.isArray(e.data.lines) && e.data.lines.length > 1)).toBe(true);
    expect(carts.trace!.filter((e) => e.type === 'drop' || e.type === 'duplicate' || e.type === 'pause').length).toBeGreaterThanOrEqual(3);
    const crash = runOnce(libraryScenario('crash-restart-after-lease'), { keepTrace: true });
    const t = crash.trace!;
    const expired = t.findIndex((e) => e.type === 'domain' && e.what === 'db:expire' && e.order === 'o1');
    const restart = t.findIndex((e) => e.type === 'restart');
    expect(t.findIndex((e) => e.type === 'crash')).toBeLessThan(expired);
    expect(expired).toBeLessThan(restart);
    expect(t.some((e) => e.type === 'domain' && e.what === 'payment:refund' && e.order === 'o1')).toBe(true);
  });

  describe.each(FILES)('%s', (file) => {
    const text = readFileSync(resolve(DIR, file), 'utf8');

    it('starts with "$schema" pointing at the committed schema', async () => {
      const raw = JSON.parse(text) as Record<string, unknown>;
      expect(Object.keys(raw)[0]).toBe('$schema');
      expect(raw.$schema).toBe(SCHEMA_REF);
    });

    it('validates, has a description a person can read quickly, a built-in strategy and an expect block', async () => {
      const s = load(file);
      const words = s.description.split(/\s+/).length;
      expect(words).toBeGreaterThan(10);
      if (!LONG_DESCRIPTIONS.has(file)) expect(words, s.description).toBeLessThanOrEqual(DESCRIPTION_WORDS_MAX);
      expect([...STRATEGIES.keys()]).toContain(s.strategy.name);
      expect(s.expect).not.toBeNull();
    });

    it('meets its expectation at its default seed', async () => {
      const s = load(file);
      const r = runOnce(s);
      const met = checkExpectation(s.expect, r.violations, r.goodput);
      expect(met?.met, `${file} seed ${s.seed}: ${met?.description}`).toBe(true);
      expect(r.stop).toBe('quiet');
    });
  });

  it(`the "none" scenarios hold on ${EXTRA_SEEDS} more seeds too, and the teaching ones break on each of them`, async () => {
    const unmet: string[] = [];
    for (const file of FILES) {
      const s = load(file);
      for (let seed = 1; seed <= EXTRA_SEEDS; seed++) {
        const got = broken(s, seed);
        const want = s.expect?.violations;
        if (want === 'none' ? got.length > 0 : want === 'any' ? got.length === 0 : !(want ?? []).every((w) => got.includes(w))) {
          unmet.push(`${file} seed ${seed}: broke [${got.join(', ')}], expected ${JSON.stringify(want)}`);
        }
      }
    }
    expect(unmet).toEqual([]);
  });

  it('teaching twins: the broken strategy breaks where its fix holds, on the same faults', async () => {
    const twins: Array<[string, string]> = [
      ['gc-pause-lock-lease', 'gc-pause-lock-fencing'],
      ['clock-skew-wall-clock-expiry', 'clock-skew-reservation'],
      ['duplicated-requests', 'duplicated-requests-idempotent'],
    ];
    for (const [bad, good] of twins) {
      const b = load(`${bad}.json`);
      const g = load(`${good}.json`);
      // Same world, only the strategy (and the words) differ.
      const strip = (s: Scenario) => ({ ...s, name: '', description: '', strategy: null, expect: null });
      expect(strip(b), `${bad} vs ${good}`).toEqual(strip(g));
      expect(broken(b).length).toBeGreaterThan(0);
      expect(broken(g)).toEqual([]);
    }
  });

  it('the lock-lease hazards are fixed by lock-fencing on the very same file', async () => {
    for (const file of ['gc-pause-lock-lease.json', 'partition-lock-holder.json']) {
      const s = load(file);
      expect(broken(s)).toContain('unique-units');
      expect(runOnce(s, { strategy: STRATEGIES.get('lock-fencing') }).violations).toEqual([]);
    }
  });

  it('the scenarios expecting no violation are not vacuous: their fault strikes at the default seed', async () => {
    const strikes: Record<string, (t: readonly TraceEvent[]) => boolean> = {
      'lost-confirm-reply': (t) => t.some((e) => e.type === 'drop' && e.call === 'confirm' && e.reply && e.reason === 'step'),
      'lost-release': (t) => t.some((e) => e.type === 'drop' && e.call === 'release' && !e.reply)
        && t.some((e) => e.type === 'domain' && e.what === 'db:expire'),
      'gc-pause-lock-fencing': (t) => t.some((e) => e.type === 'domain' && e.what === 'note:fenced-out'),
      'clock-skew-reservation': (t) => t.some((e) => e.type === 'clock' && e.node === 'app2' && e.offsetMs === 60_000),
      'partition-mid-sale': (t) => t.some((e) => e.type === 'drop' && e.reason === 'partition') && t.some((e) => e.type === 'timeout'),
      'duplicated-requests-idempotent': (t) => t.filter((e) => e.type === 'duplicate' && e.call === 'decrement').length === 2,
      'app-crash-mid-order': (t) => t.some((e) => e.type === 'domain' && e.what === 'note:recover-order')
        && t.some((e) => e.type === 'domain' && e.what === 'payment:refund'),
      'payment-failures-reservation-expiry': (t) => t.some((e) => e.type === 'domain' && e.what === 'payment:charge-declined')
        && t.some((e) => e.type === 'domain' && e.what === 'note:confirm-refused'),
      // A cart refused for want of a lamp while vases were still in stock.
      'multi-item-cart': (t) => t.some((e) => e.type === 'domain' && e.what === 'db:reserve-refused' && e.data.item === 'lamp'),
    };
    for (const [name, strikes_] of Object.entries(strikes)) {
      const r = runOnce(load(`${name}.json`), { keepTrace: true });
      expect(strikes_(r.trace ?? []), name).toBe(true);
    }
    const cart = runOnce(load('multi-item-cart.json'));
    expect(cart.world.db.items.get('vase')?.stock).toBe(1);
    const crash = runOnce(load('app-crash-mid-order.json'));
    expect(crash.unknownOrders.map((u) => u.order)).toEqual(['o1']);
    expect(crash.unknownOrders[0].reason).toContain('app2 crashed mid-order');
  });

  it('docs/scenarios.md lists every library scenario in its "Scenario library" table', async () => {
    const docs = readFileSync(resolve(ROOT, 'docs/scenarios.md'), 'utf8');
    const section = docs.slice(docs.indexOf('## Scenario library'));
    expect(section.length).toBeGreaterThan(100);
    const missing = FILES.filter((f) => !section.includes(`(../scenarios/${f})`));
    expect(missing).toEqual([]);
  });
});

describe('the CLI on the library', () => {
  it('oversold validate scenarios/*.json exits 0', async () => {
    const r = await cli(['validate', ...FILES.map((f) => `scenarios/${f}`)]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${FILES.length} scenario files valid`);
  });

  it('oversold schema prints scenarios/schema/scenario.schema.json byte for byte', async () => {
    const r = await cli(['schema']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(resolve(DIR, 'schema/scenario.schema.json'), 'utf8'));
  });

  it('oversold run --check-expect exits 0 on a teaching scenario that breaks and on one that holds', async () => {
    for (const f of ['gc-pause-lock-lease', 'gc-pause-lock-fencing']) {
      const r = await cli(['run', `scenarios/${f}.json`, '--check-expect']);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toContain('expect   met');
    }
  });
});
