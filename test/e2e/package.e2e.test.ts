// A user's first hour, end to end: the package as npm packs it, installed from the registry into
// fresh projects with only the documented dependencies; the README's test file, `oversold
// init`'s test and the @fast-check/vitest recipe pass there as written, every command they
// print runs from that project, a strategy's TypeError shows the user's own line, and the
// public types type-check in a project with nothing but oversold and typescript.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
// One npm cache for these tests, outside the user's: installs are repeatable and quick.
const CACHE = join(tmpdir(), 'oversold-e2e-npm-cache');

interface Ran {
  readonly code: number;
  readonly out: string;
}

function sh(cmd: string, args: readonly string[], cwd: string, env: Record<string, string> = {}): Ran {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', npm_config_cache: CACHE, npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false', ...env }, timeout: 900_000, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status ?? -1, out: `${r.stdout}\n${r.stderr}` };
}

/** A printed `npx oversold ...` command line, run as printed (a shell) in the project. */
function runPrinted(line: string, cwd: string): Ran {
  return sh('sh', ['-c', line], cwd);
}

function blocks(doc: string): string[] {
  return [...doc.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
}

const doc = (p: string) => readFileSync(join(ROOT, p), 'utf8');
const README_TEST = blocks(doc('README.md')).find((b) => b.startsWith('// test/inventory.property.test.ts'))!;
const RECIPE = blocks(doc('docs/exploration.md')).find((b) => b.includes("from '@fast-check/vitest'"))!;
// The complete example of docs/writing-a-strategy.md (src/my-strategy.ts in the README's layout).
const STRATEGY = blocks(doc('docs/writing-a-strategy.md').split('## A complete example')[1])[0];

let tarball = '';
let work = '';

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'oversold-e2e-'));
  const packed = execFileSync('npm', ['pack', '--pack-destination', work, '--json'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, npm_config_cache: CACHE } });
  tarball = join(work, JSON.parse(packed.slice(packed.indexOf('[')))[0].filename);
});

function project(name: string, deps: readonly string[]): string {
  const dir = join(work, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, type: 'module' }, null, 2));
  const r = sh('npm', ['install', '--no-audit', '--no-fund', '--save-dev', tarball, ...deps], dir);
  if (r.code !== 0) throw new Error(`npm install in ${name} failed:\n${r.out}`);
  return dir;
}

describe('a fresh project with oversold, vitest and @fast-check/vitest (the documented dependencies)', () => {
  let dir = '';
  beforeAll(() => {
    dir = project('shop', [`vitest@${pkg.devDependencies.vitest}`, `@fast-check/vitest@${pkg.devDependencies['@fast-check/vitest']}`]);
    mkdirSync(join(dir, 'src'));
    mkdirSync(join(dir, 'test'));
    writeFileSync(join(dir, 'src/my-strategy.ts'), STRATEGY);
    writeFileSync(join(dir, 'test/inventory.property.test.ts'), README_TEST);
    writeFileSync(join(dir, 'test/inventory.prop.test.ts'), RECIPE);
  });

  it('the README\'s test file and the @fast-check/vitest recipe pass as written', () => {
    const r = sh('npx', ['vitest', 'run', 'test/'], dir);
    expect(r.out).toMatch(/Tests +3 passed/);
    expect(r.code).toBe(0);
  });

  it('oversold init writes a test that passes, and the commands it prints work', () => {
    const r = sh('npx', ['oversold', 'init'], dir);
    expect(r.code).toBe(0);
    const printed = [...r.out.matchAll(/^(?:test|check) +(npx .*)$/gm)].map((m) => m[1]);
    expect(printed).toHaveLength(2);
    for (const line of printed) {
      const p = runPrinted(line, dir);
      expect(p.code, `${line}\n${p.out}`).toBe(0);
    }
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toContain('.oversold/');
  });

  it('a failing property prints commands that run from the project, and a TypeError shows the user\'s line', () => {
    writeFileSync(join(dir, 'src/read-then-write.ts'), [
      "import { defineStrategy, type OrderContext, type OrderAnswer, type Proc } from 'oversold';",
      'export default defineStrategy({',
      "  name: 'read-then-write', summary: 'a lost update waiting to happen', safe: false,",
      '  *placeOrder(ctx: OrderContext): Proc<OrderAnswer> {',
      "    const r = yield* ctx.db.read('vase');",
      "    if (!r.ok || r.value.stock < 1) return 'OUT_OF_STOCK';",
      "    const w = yield* ctx.db.write('vase', r.value.stock - 1, 1);",
      "    return w.ok ? 'ORDER_PLACED' : 'FAILED';",
      '  },',
      '});',
      '',
    ].join('\n'));
    writeFileSync(join(dir, 'src/thrower.ts'), [
      "import { defineStrategy, type OrderContext, type OrderAnswer, type Proc } from 'oversold';",
      'export default defineStrategy({',
      "  name: 'thrower', summary: 'throws', safe: false,",
      '  *placeOrder(ctx: OrderContext): Proc<OrderAnswer> {',
      "    const r = yield* ctx.db.read('vase');",
      '    const f = undefined as unknown as (x: unknown) => void;',
      '    f(r); // line 7',
      "    return 'ORDER_PLACED';",
      '  },',
      '});',
      '',
    ].join('\n'));
    writeFileSync(join(dir, 'test/failing.spec.ts'), [
      "import { writeFileSync } from 'node:fs';",
      "import { it } from 'vitest';",
      "import fc from 'fast-check';",
      "import { assertStrategyHolds, strategyProperty } from 'oversold';",
      "import readThenWrite from '../src/read-then-write.js';",
      "import thrower from '../src/thrower.js';",
      'function message(f: () => unknown): string {',
      '  try { f(); } catch (e) { const err = e as Error; return `${err.message}\\nCAUSE ${(err.cause as Error | undefined)?.stack ?? ""}`; }',
      "  return 'no failure';",
      '}',
      "it('records the failures', () => {",
      "  writeFileSync('assert.txt', message(() => assertStrategyHolds('flash-sale-chaos', readThenWrite, { strategyRef: new URL('../src/read-then-write.ts', import.meta.url) })));",
      "  writeFileSync('property.txt', message(() => fc.assert(strategyProperty('flash-sale-chaos', readThenWrite, { strategyRef: new URL('../src/read-then-write.ts', import.meta.url) }))));",
      "  writeFileSync('thrower.txt', message(() => assertStrategyHolds('flash-sale', thrower, { numRuns: 3 })));",
      '});',
      '',
    ].join('\n'));
    const t = sh('npx', ['vitest', 'run', 'test/failing.spec.ts'], dir);
    expect(t.code, t.out).toBe(0);
    const assertText = readFileSync(join(dir, 'assert.txt'), 'utf8');
    expect(assertText).toMatch(/↳ (lost update|stale read)/);
    const commands = [...assertText.matchAll(/^(?:replay|re-check) +(npx oversold .*)$/gm), ...readFileSync(join(dir, 'property.txt'), 'utf8').matchAll(/^replay +(npx oversold .*)$/gm)].map((m) => m[1]);
    expect(commands).toHaveLength(3);
    for (const line of commands) {
      const p = runPrinted(line, dir);
      expect(p.code, `${line}\n${p.out}`).toBe(1);
      expect(p.out).not.toMatch(/no such file|cannot find|internal error/i);
    }
    // The helper shows the line of src/thrower.ts that threw, and carries the TypeError.
    const thrown = readFileSync(join(dir, 'thrower.txt'), 'utf8');
    expect(thrown).toMatch(/src\/thrower\.ts:7:\d+/);
    expect(thrown).toMatch(/CAUSE TypeError: /);
    // So does the CLI, loading the .ts module itself (tsx, source maps).
    const run = sh('npx', ['oversold', 'run', 'flash-sale', '--strategy', './src/thrower.ts'], dir);
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/src\/thrower\.ts:7:\d+/);
  });

  it('the package exports its scenarios, its schema and package.json; its source maps carry their sources', () => {
    const r = sh('node', ['--input-type=module', '-e', [
      "const chaos = (await import('oversold/scenarios/flash-sale-chaos.json', { with: { type: 'json' } })).default;",
      "const byName = (await import('oversold/scenarios/flash-sale', { with: { type: 'json' } })).default;",
      "const schema = (await import('oversold/scenario.schema.json', { with: { type: 'json' } })).default;",
      "const pkg = (await import('oversold/package.json', { with: { type: 'json' } })).default;",
      'console.log(JSON.stringify([chaos.name, byName.name, typeof schema.$schema, pkg.name]));',
    ].join('\n')], dir);
    expect(r.out).toContain('["flash-sale-chaos","flash-sale",');
    expect(r.out).toContain('"string","oversold"]');
    const dist = join(dir, 'node_modules/oversold/dist');
    const maps = readdirSync(dist, { recursive: true }).map(String).filter((f) => f.endsWith('.js.map'));
    expect(maps.length).toBeGreaterThan(50);
    for (const m of maps) {
      const map = JSON.parse(readFileSync(join(dist, m), 'utf8'));
      expect(map.sourcesContent?.length, m).toBe(map.sources.length);
      expect(map.sourcesContent.every((s: unknown) => typeof s === 'string' && s.length > 0), m).toBe(true);
    }
  });
});

describe('a project with only oversold and typescript', () => {
  it('type-checks a file importing every public name, without skipLibCheck and without @types/node', () => {
    const dir = project('types-only', [`typescript@${pkg.devDependencies.typescript}`]);
    expect(existsSync(join(dir, 'node_modules/@types/node'))).toBe(false);
    // Every name the package exports, from its own declaration files (export {…} lists and the
    // modules it re-exports whole).
    const names = new Set<string>(['DbTypes']);
    for (const f of ['index.d.ts', 'report/index.d.ts', 'inventory/strategies/index.d.ts']) {
      const text = readFileSync(join(dir, 'node_modules/oversold/dist', f), 'utf8');
      for (const m of text.matchAll(/export (?:type )?\{([^}]*)\}/g)) {
        for (const part of m[1].split(',')) {
          const name = part.trim().replace(/^type /, '').split(/\s+as\s+/).at(-1)!.trim();
          if (name && name !== 'default') names.add(name);
        }
      }
      for (const m of text.matchAll(/export (?:declare )?(?:const|function|class|interface|type) (\w+)/g)) names.add(m[1]);
    }
    expect(names.size).toBeGreaterThan(100);
    const list = [...names].sort().join(', ');
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', noEmit: true, skipLibCheck: false }, files: ['all.ts'] }, null, 2));
    writeFileSync(join(dir, 'all.ts'), `import type { ${list} } from 'oversold';\nexport type { ${list} };\nimport * as oversold from 'oversold';\nexport const noScenario: Scenario | null = null;\nexport const exportCount: number = Object.keys(oversold).length;\n`);
    const r = sh('npx', ['tsc', '-p', '.'], dir);
    expect(r.out.trim()).toBe('');
    expect(r.code).toBe(0);
  });
});
