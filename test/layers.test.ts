/**
 * The rooms of src/ and which way their imports point (DESIGN.md, "Layers"): sim <- inventory
 * <- scenario <- explore <- report <- testing <- cli <- index.ts, with src/errors.ts,
 * src/defaults.ts and src/version.ts (which import nothing) open to all. And report/ only words
 * and draws results: it may name explore's types, never run its code, nor build a world.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { importsOf, type ImportDecl } from './helpers/imports.js';
import { ROOT } from './helpers/scenarios.js';

const SRC = resolve(ROOT, 'src');
const ORDER = ['(root)', 'sim', 'inventory', 'scenario', 'explore', 'report', 'testing', 'cli', 'index.ts'];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** The room of a path under src/: its first folder; index.ts is the top; other top-level files the bottom. */
function roomOf(path: string): string {
  const parts = relative(SRC, path).split('/');
  if (parts.length > 1) return parts[0];
  return parts[0] === 'index.ts' ? 'index.ts' : '(root)';
}

/** Every relative import of every module under src/, with where it resolves. */
function edges(): Array<{ file: string; to: string; decl: ImportDecl }> {
  return sources(SRC).flatMap((file) =>
    importsOf(readFileSync(file, 'utf8'))
      .filter((d) => d.from.startsWith('.'))
      .map((decl) => ({ file, to: resolve(dirname(file), decl.from).replace(/\.js$/, '.ts'), decl })));
}

const where = (e: { file: string; decl: ImportDecl }) => `${relative(ROOT, e.file)}:${e.decl.line} ${e.decl.text}`;

describe('reading import declarations', () => {
  it('tells value imports from type-only ones, and is not fooled by comments, strings, templates or regexes', () => {
    const src = [
      "import { a } from './a.js';",
      "import type { B } from './b.js';",
      "import { type C, type D } from './c.js';",
      "import { type E, f } from './e.js';",
      "import * as G from './g.js';",
      "export { h } from './h.js';",
      "export type { I } from './i.js';",
      "import './side-effect.js';",
      "// import { no } from './comment.js';",
      "/* import { no } from './block.js'; */",
      "const s = `import { no } from './template.js' ${'}'} \"`;",
      "const r = /\"import { no } from '.\\/regex.js'/;",
      "const q = \"import { no } from './string.js'\";",
      "const later = await import('./dynamic.js');",
      'import {',
      '  j,',
      '  type K,',
      "} from './multi.js';",
    ].join('\n');
    expect(importsOf(src).map((d) => [d.from, d.typeOnly, d.line])).toEqual([
      ['./a.js', false, 1], ['./b.js', true, 2], ['./c.js', true, 3], ['./e.js', false, 4], ['./g.js', false, 5],
      ['./h.js', false, 6], ['./i.js', true, 7], ['./side-effect.js', false, 8], ['./dynamic.js', false, 14], ['./multi.js', false, 15],
    ]);
  });
});

describe('the layers', () => {
  it('every import of a module under src/ points to its own room or one below it', () => {
    const up = edges().filter((e) => ORDER.indexOf(roomOf(e.to)) > ORDER.indexOf(roomOf(e.file)));
    expect(up.map(where)).toEqual([]);
  });

  it('no module under src/report/ imports a value from src/explore/, src/sim/world or src/inventory/world', () => {
    const running = (to: string) => roomOf(to) === 'explore' || to === join(SRC, 'sim/world.ts') || to === join(SRC, 'inventory/world.ts');
    const report = edges().filter((e) => roomOf(e.file) === 'report');
    // The check reads something: report/ does name explore's result types.
    expect(report.some((e) => running(e.to) && e.decl.typeOnly)).toBe(true);
    expect(report.filter((e) => running(e.to) && !e.decl.typeOnly).map(where)).toEqual([]);
  });

  it('every module imported exists (the reader resolves what it reads)', () => {
    const missing = edges().filter((e) => !sources(dirname(e.to)).includes(e.to) && !e.to.endsWith('.json'));
    expect(missing.map(where)).toEqual([]);
  });
});
