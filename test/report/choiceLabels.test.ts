/**
 * Labels are for people: derived from a choice's kind and subject by one function
 * (src/sim/labels.ts) and never read back. Two tests pin it: with the label function
 * replaced by random strings, `why`, `export`, `check` and the explanations give the same
 * structured results; and no module under src/ applies a regular expression or `split` (or
 * any other text search) to label text.
 *
 * The fast tier runs a sample of the random-label cases (the naive and lock-lease runs, check
 * on the windowed schedule); choiceLabels.slow.test.ts runs every case (test/report/labelCases.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ROOT } from '../helpers/scenarios.js';
import { CASES, checkCases, checkShape, randomLabels, resetLabels, structured } from './labelCases.js';

afterEach(resetLabels);

describe('labels are never read back', () => {
  for (const c of CASES.filter((c) => c.strategy === 'naive' || c.strategy === 'lock-lease')) {
    it(`${c.strategy} (${c.scenario.name} seed ${c.seed}): random labels change no structured result of why, export or the explanations`, () => {
      const plain = structured(c);
      randomLabels(c.seed);
      const noisy = structured(c);
      expect(noisy).toEqual(plain);
    });
  }

  it('check: the counterexample (answers, knobs, shrunk choices by kind and subject) is the same under random labels (a windowed schedule)', () => {
    const cases = checkCases().filter((c) => c.strategy === 'naive');
    const plain = cases.map(checkShape);
    randomLabels(99);
    expect(cases.map(checkShape)).toEqual(plain);
  });
});

/** Lines of `text` that search label text: a regular expression or split (or another text search) applied to a label. */
export function labelParsing(text: string): string[] {
  const patterns = [
    // c.label.split(...), label.replace(/.../), row.label!.includes(...), labelText(x).match(...)
    /\blabel(?:s|Text)?\b(?:\([^)]*\))?[!?]?\s*\.\s*(?:split|match|matchAll|exec|replace|replaceAll|search|includes|startsWith|endsWith|indexOf|lastIndexOf)\s*\(/i,
    // /re/.test(c.label), RE.exec(label), text.match(...) on a label
    /\.\s*(?:test|exec|match|matchAll)\s*\(\s*[\w$.]*\blabel/i,
    /new\s+RegExp\s*\([^)]*\blabel/i,
  ];
  return text.split('\n').filter((line) => !line.trim().startsWith('//') && !line.trim().startsWith('*') && patterns.some((p) => p.test(line)));
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('no module under src/ parses label text', () => {
  it('the detector catches the ways a label could be parsed (so this test can fail)', () => {
    for (const bad of [
      "const node = c.label.split(' ')[0];",
      'const m = MESSAGE_LABEL.exec(c.label);',
      "const order = /charge (\\S+)/.exec(c.label)?.[1] ?? '';",
      "if (row.label.includes(' paused ')) put();",
      "return label.replace(/ arrival$/, '');",
      'const re = new RegExp(`^${label}`);',
    ]) expect(labelParsing(bad), bad).toHaveLength(1);
    expect(labelParsing("const label = `${e.node} paused`;\nreturn { kind: 'fault', label };")).toEqual([]);
  });

  it('finds none in src/', () => {
    const found = sources(resolve(ROOT, 'src')).flatMap((f) => labelParsing(readFileSync(f, 'utf8')).map((l) => `${relative(ROOT, f)}: ${l.trim()}`));
    expect(found).toEqual([]);
  });
});
