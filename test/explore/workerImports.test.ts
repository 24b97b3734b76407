// What a sweep's worker thread imports before its first request (src/explore/worker.ts and
// its static imports): every module there is loaded, compiled and linked by every thread of
// every sweep (docs/benchmarks.md, "Worker boot"). The strategy it runs comes later, alone.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { importsOf } from '../helpers/imports.js';
import { ROOT } from '../helpers/scenarios.js';

/** The modules `entry` loads before it runs: static value imports, followed; dynamic ones and types left out. */
function staticClosure(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const walk = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const d of importsOf(readFileSync(file, 'utf8'))) {
      if (d.typeOnly || d.text.startsWith('import(')) continue;
      if (d.from.startsWith('.')) walk(resolve(dirname(file), d.from).replace(/\.js$/, '.ts'));
      else packages.add(d.from);
    }
  };
  walk(entry);
  return { files, packages };
}

describe("a sweep worker thread's start-up imports", () => {
  const { files, packages } = staticClosure(resolve(ROOT, 'src/explore/worker.ts'));
  const names = [...files].map((f) => relative(ROOT, f));

  it('hold no built-in strategy, only the table of loaders', () => {
    expect(names.filter((f) => f.startsWith('src/inventory/strategies/'))).toEqual(['src/inventory/strategies/loaders.ts']);
  });

  it('are not the library paths that list every strategy (run.ts, sweep.ts)', () => {
    expect(names).not.toContain('src/explore/run.ts');
    expect(names).not.toContain('src/explore/sweep.ts');
    expect(names).toContain('src/explore/runCore.ts');
  });

  it('leave out node:crypto (naming a strategy module hashes it; a worker only loads one)', () => {
    expect([...packages]).not.toContain('node:crypto');
    expect([...packages]).not.toContain('crypto');
  });

  it('the walk sees what it should (the check above can fail): the full registry imports every strategy', () => {
    const all = staticClosure(resolve(ROOT, 'src/explore/run.ts')).files;
    expect([...all].filter((f) => f.includes('/strategies/')).length).toBeGreaterThan(20);
  });
});
