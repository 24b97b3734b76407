// strategy.name and strategy.options are checked: a built-in strategy gets only its declared
// options (STRATEGY_OPTION_SPECS), each an integer in range; an unknown name is refused the way
// `run` refuses it; a user strategy (a module path) keeps free-form options.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScenario, scenarioJsonSchema, validateFiles } from '../../src/scenario/index.js';
import {
  BUILT_IN_OPTION_NAMES, DEFAULT_STRATEGY_OPTIONS, isStrategyPath, STRATEGY_OPTION_SPECS, type Strategy, type StrategyOptions,
} from '../../src/inventory/strategy.js';
import { STRATEGIES } from '../../src/inventory/strategies/index.js';
import { loadSqlParser } from '../../src/inventory/sql/parse.js';
import { loadStrategy } from '../../src/explore/loadStrategy.js';
import { runOnce } from '../../src/explore/run.js';
import { cli } from '../helpers/cli.js';
import { libraryScenario } from '../helpers/scenarios.js';
import { MINIMAL, parseOk, problemLines } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'oversold-options-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The problem lines of a scenario with this `strategy`, without the file:line:column prefix. */
function problems(strategy: unknown): string[] {
  return problemLines(JSON.stringify({ ...MINIMAL, strategy })).map((l) => l.replace(/^scenarios\/x\.json:\d+:\d+: /, ''));
}

const OPTION_LIST = '"timeoutMs", "retries", "backoffMs", "leaseTicks", "leaseMs", "lockAttempts", "persistAttempts", "conflictRetries", "sqlTimeoutMs"';
const STRATEGY_LIST = '"conditional-decrement", "compare-and-set", "reservation", "lock-fencing", "naive", "lock-lease", "wall-clock-expiry", "retry-without-idempotency", ..., or a SQL one: "sql-..."';

describe('options of a built-in strategy', () => {
  it('an unknown option name is one problem, with a did-you-mean', async () => {
    expect(problems({ name: 'lock-lease', options: { leaseTick: 3 } })).toEqual([
      `$.strategy.options.leaseTick: expected one of the options ${OPTION_LIST}, found unknown option "leaseTick" — did you mean "leaseTicks"?`,
    ]);
  });

  it('a value of the wrong type, or out of range, names the range and what the option means', async () => {
    expect(problems({ name: 'lock-lease', options: { leaseTicks: 'abc' } })).toEqual([
      '$.strategy.options.leaseTicks: expected an integer from 1 to 10000000, found "abc" — leaseTicks: reservation and lock leases, in ticks of the granting service\'s logical clock (default 60)',
    ]);
    expect(problems({ name: 'lock-lease', options: { leaseTicks: -5 } })).toEqual([
      '$.strategy.options.leaseTicks: expected an integer from 1 to 10000000, found -5 — leaseTicks: reservation and lock leases, in ticks of the granting service\'s logical clock (default 60)',
    ]);
    expect(problems({ name: 'reservation', options: { retries: '3' } })).toEqual([
      '$.strategy.options.retries: expected an integer from 0 to 10000, found "3" — remove the quotes: JSON numbers are written without them',
    ]);
    expect(problems({ name: 'compare-and-set', options: { conflictRetries: true } })[0])
      .toMatch(/^\$\.strategy\.options\.conflictRetries: expected an integer from 0 to 1000000, found true — /);
  });

  it('reports every bad option, one line each, and points at it in the file', async () => {
    const text = '{\n  "items": [{ "id": "vase", "stock": 1 }],\n  "strategy": {\n    "name": "reservation",\n    "options": {\n'
      + '      "leaseTicks": 0,\n      "timeoutMS": 500,\n      "retries": 3\n    }\n  }\n}\n';
    const lines = problemLines(text);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^scenarios\/x\.json:6:21: \$\.strategy\.options\.leaseTicks: expected an integer from 1 to 10000000, found 0/);
    expect(lines[1]).toMatch(/^scenarios\/x\.json:7:20: \$\.strategy\.options\.timeoutMS: .* — did you mean "timeoutMs"\?$/);
  });

  it('the default strategy (naive) is a built-in too', async () => {
    expect(problems({ options: { leaseTick: 3 } })).toHaveLength(1);
    expect(parseOk({ ...MINIMAL, strategy: { options: { leaseTicks: 3 } } }).strategy).toEqual({ name: 'naive', options: { leaseTicks: 3 } });
  });

  it('an option the named strategy does not read is accepted (the file may be run with --strategy of another)', async () => {
    expect(parseOk({ ...MINIMAL, strategy: { name: 'naive', options: { leaseTicks: 20, conflictRetries: 3 } } }).strategy.options)
      .toEqual({ leaseTicks: 20, conflictRetries: 3 });
  });

  it('every option is accepted at both ends of its range and refused one past either', async () => {
    for (const [name, spec] of Object.entries(STRATEGY_OPTION_SPECS)) {
      for (const ok of [spec.min, spec.max, spec.default]) {
        expect(parseScenario(JSON.stringify({ ...MINIMAL, strategy: { options: { [name]: ok } } }), 'x.json').ok, `${name}=${ok}`).toBe(true);
      }
      for (const bad of [spec.min - 1, spec.max + 1]) {
        expect(problems({ options: { [name]: bad } }), `${name}=${bad}`).toEqual([
          expect.stringMatching(new RegExp(`^\\$\\.strategy\\.options\\.${name}: expected an integer from ${spec.min} to ${spec.max}, found ${bad} — `)),
        ]);
      }
    }
  });
});

describe('strategy names', () => {
  it('an unknown built-in name is refused with a did-you-mean, and its options are checked as well', async () => {
    expect(problems({ name: 'nave' })).toEqual([
      `$.strategy.name: expected a built-in strategy (${STRATEGY_LIST}) or the path to your own module ("./my-strategy.ts"), found unknown strategy "nave" — did you mean "naive"?`,
    ]);
    expect(problems({ name: 'lock-leas', options: { leaseTick: 3 } })).toHaveLength(2);
  });

  it('a name like no built-in suggests writing it as a path (and leaves its options alone)', async () => {
    expect(problems({ name: 'mystrategy', options: { anything: 'x' } })).toEqual([
      `$.strategy.name: expected a built-in strategy (${STRATEGY_LIST}) or the path to your own module ("./my-strategy.ts"), found unknown strategy "mystrategy" — for your own strategy give the path to its module, e.g. "./mystrategy.ts"`,
    ]);
  });

  it('a module path keeps free-form options', async () => {
    for (const name of ['./mine.ts', 'strategies/mine.js', 'mine.mjs', 'C:\\x\\mine.ts', 'mine.cjs']) {
      const options = { leaseTick: 'x', leaseTicks: -5, fenced: true, mode: 'strict' };
      expect(parseOk({ ...MINIMAL, strategy: { name, options } }).strategy, name).toEqual({ name, options });
    }
  });

  it('the path rule is the one `--strategy` follows: a path is loaded as a file, any other name as a built-in', async () => {
    for (const name of ['naive', 'lock-lease', './x', 'a/b', 'a\\b', 'x.ts', 'x.js', 'x.mjs', 'x.cjs', 'x.mts', 'x.cts', 'x.json', 'x.tsx', 'nave', 'ts']) {
      const loaded = await loadStrategy(name, dir).then((s) => `built-in ${s.name}`, (e: { code: string }) => e.code);
      const expected = isStrategyPath(name) ? 'STRATEGY_NOT_FOUND' : STRATEGIES.has(name) ? `built-in ${name}` : 'UNKNOWN_STRATEGY';
      expect(loaded, name).toBe(expected);
    }
  });

  it('every built-in strategy name is accepted', async () => {
    for (const name of STRATEGIES.keys()) expect(parseOk({ ...MINIMAL, strategy: { name } }).strategy.name).toBe(name);
  });
});

describe('validate and run agree', () => {
  it('a file naming an unknown strategy fails both, exit 2, with the same line', async () => {
    const file = join(dir, 'nave.json');
    writeFileSync(file, JSON.stringify({ ...MINIMAL, strategy: { name: 'nave' } }, null, 2));
    const line = `${file}:9:13: $.strategy.name: expected a built-in strategy (${STRATEGY_LIST}) or the path to your own module ("./my-strategy.ts"), found unknown strategy "nave" — did you mean "naive"?`;
    expect(validateFiles([file])).toEqual({ ok: false, lines: [line] });
    const v = await cli(['validate', file]);
    expect(v.code).toBe(2);
    expect(v.stdout + v.stderr).toContain(line);
    const r = await cli(['run', file]);
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toContain(line);
  });

  it('a bad option fails `validate` (it used to say the file was valid)', async () => {
    const file = join(dir, 'leasetick.json');
    writeFileSync(file, JSON.stringify({ ...MINIMAL, strategy: { name: 'lock-lease', options: { leaseTick: 3 } } }));
    const v = await cli(['validate', '--json', file]);
    expect(v.code).toBe(2);
    const j = JSON.parse(v.stdout);
    expect(j).toEqual({ ok: false, files: 1, problems: [expect.stringContaining('$.strategy.options.leaseTick: expected one of the options')] });
  });
});

describe('STRATEGY_OPTION_SPECS', () => {
  it('declares exactly the defaults, each default within its range', async () => {
    expect([...BUILT_IN_OPTION_NAMES].sort()).toEqual(Object.keys(DEFAULT_STRATEGY_OPTIONS).sort());
    for (const [name, spec] of Object.entries(STRATEGY_OPTION_SPECS)) {
      expect(spec.default, name).toBe(DEFAULT_STRATEGY_OPTIONS[name as keyof typeof DEFAULT_STRATEGY_OPTIONS]);
      expect(Number.isInteger(spec.min) && Number.isInteger(spec.max) && spec.min <= spec.default && spec.default <= spec.max, name).toBe(true);
      expect(spec.meaning.length, name).toBeGreaterThan(10);
      for (const s of spec.usedBy) expect(STRATEGIES.has(s), `${name}: ${s}`).toBe(true);
    }
  });

  it('"used by" is what each built-in strategy actually reads (chaos sale, a few seeds)', async () => {
    for (const [name, strategy] of STRATEGIES) {
      const read = new Set<string>();
      const watch = <C extends { options: StrategyOptions }>(ctx: C): C => ({
        ...ctx,
        options: new Proxy(ctx.options, { get: (t, k, r) => (typeof k === 'string' && read.add(k), Reflect.get(t, k, r)) }),
      });
      const watched: Strategy = {
        ...strategy,
        placeOrder: (ctx) => strategy.placeOrder(watch(ctx)),
        recover: strategy.recover && ((ctx) => strategy.recover!.call(strategy, watch(ctx))),
      };
      for (let seed = 1; seed <= 6; seed++) runOnce(libraryScenario('flash-sale-chaos'), { seed, strategy: watched });
      // timeoutMs and sqlTimeoutMs are read by the world (the clients' timeouts), not by placeOrder.
      const byWorld = (o: string) => o === 'timeoutMs' || o === 'sqlTimeoutMs';
      const declared = BUILT_IN_OPTION_NAMES.filter((o) => STRATEGY_OPTION_SPECS[o].usedBy.includes(name) && !byWorld(o));
      expect([...read].filter((o) => !byWorld(o)).sort(), name).toEqual([...declared].sort());
    }
    for (const spec of Object.values(STRATEGY_OPTION_SPECS)) expect(spec.usedBy.length).toBeGreaterThan(0);
    // Every built-in strategy has a client timeout: the counter strategies' timeoutMs, the SQL strategies' sqlTimeoutMs.
    expect([...STRATEGY_OPTION_SPECS.timeoutMs.usedBy, ...STRATEGY_OPTION_SPECS.sqlTimeoutMs.usedBy].sort()).toEqual([...STRATEGIES.keys()].sort());
  });
});

beforeAll(() => loadSqlParser());

describe('the JSON Schema says the same', () => {
  const strategy = (scenarioJsonSchema().properties as Record<string, Record<string, unknown>>).strategy as {
    if: { properties: { name: { enum: string[] } } };
    then: { properties: { options: { properties: Record<string, Record<string, unknown>>; additionalProperties: boolean } } };
    else: { properties: { name: { pattern: string } } };
  };

  it('a built-in name: only the declared options, each an integer in its range', async () => {
    expect(strategy.if.properties.name.enum).toEqual([...STRATEGIES.keys()]);
    const options = strategy.then.properties.options;
    expect(options.additionalProperties).toBe(false);
    expect(Object.keys(options.properties)).toEqual([...BUILT_IN_OPTION_NAMES]);
    for (const [name, spec] of Object.entries(STRATEGY_OPTION_SPECS)) {
      expect(options.properties[name], name).toMatchObject({ type: 'integer', minimum: spec.min, maximum: spec.max, default: spec.default });
      expect(options.properties[name].description, name).toEqual(expect.any(String));
    }
  });

  it('any other name must be a module path (the same rule as the loader)', async () => {
    const pattern = new RegExp(strategy.else.properties.name.pattern);
    for (const name of ['./x', 'a/b', 'a\\b', 'x.ts', 'x.mjs', 'x.cjs', 'nave', 'x.json', 'naive']) {
      expect(pattern.test(name), name).toBe(isStrategyPath(name));
    }
  });
});

describe('the docs list the same options', () => {
  /** `| \`name\` | ... |` rows of the options table: cells by column name. */
  function optionRows(doc: string): Map<string, Record<string, string>> {
    const lines = doc.split('\n');
    const head = lines.findIndex((l) => /^\| option \|/.test(l));
    expect(head, 'an options table').toBeGreaterThanOrEqual(0);
    const columns = lines[head].split('|').slice(1, -1).map((c) => c.trim());
    const rows = new Map<string, Record<string, string>>();
    for (const line of lines.slice(head + 2)) {
      if (!line.startsWith('|')) break;
      const cells = line.split('|').slice(1, -1).map((c) => c.trim());
      rows.set(cells[0].replace(/`/g, ''), Object.fromEntries(columns.map((c, i) => [c, cells[i]])));
    }
    return rows;
  }

  function usedByCell(usedBy: readonly string[]): string {
    const all = [...STRATEGIES.keys()];
    const missing = all.filter((s) => !usedBy.includes(s));
    if (missing.length === 0) return 'all';
    if (missing.length === 1) return `all but \`${missing[0]}\``;
    return usedBy.map((s) => `\`${s}\``).join(', ');
  }

  for (const doc of ['docs/scenarios.md', 'docs/strategies.md']) {
    it(doc, () => {
      const rows = optionRows(readFileSync(doc, 'utf8'));
      expect([...rows.keys()]).toEqual([...BUILT_IN_OPTION_NAMES]);
      for (const [name, spec] of Object.entries(STRATEGY_OPTION_SPECS)) {
        const row = rows.get(name)!;
        expect(row.default.replace(/`/g, ''), name).toBe(String(spec.default));
        expect(row.range.replace(/_/g, ''), name).toBe(`${spec.min}..${spec.max}`);
        expect(row['used by'], name).toBe(usedByCell(spec.usedBy));
      }
    });
  }
});
