/**
 * Labels are for people: derived from a choice's kind and subject by one function
 * (src/sim/labels.ts) and never read back. Two tests pin it: with the label function
 * replaced by random strings, `why`, `export`, `check` and the explanations give the same
 * structured results; and no module under src/ applies a regular expression or `split` (or
 * any other text search) to label text.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { setLabelFunction } from '../../src/sim/labels.js';
import { builtinStrategy, runOnce } from '../../src/explore/run.js';
import { answersOf } from '../../src/explore/replayFile.js';
import { checkStrategy } from '../../src/explore/check.js';
import { why } from '../../src/explore/minimise/why.js';
import { exportScenario } from '../../src/explore/minimise/export.js';
import { explainViolations } from '../../src/report/explain.js';
import { loadScenarioFile, type Scenario } from '../../src/scenario/index.js';
import { libraryScenario, ROOT } from '../helpers/scenarios.js';

afterEach(() => setLabelFunction(null));

/** Labels that are pure noise: a seeded stream of random words, nothing to do with the subject. */
function randomLabels(seed: number): void {
  let x = seed;
  setLabelFunction(() => {
    x = (Math.imul(x, 1103515245) + 12345) | 0;
    return `zz${(x >>> 0).toString(36)} ${((x >>> 7) & 0xffff).toString(16)} rpc${x & 7} o${(x >>> 3) & 15}`;
  });
}

interface Case {
  readonly scenario: Scenario;
  readonly strategy: string;
  readonly seed: number;
}

/** Everything structured `why`, `export` and the explanations say about one failing run. */
function structured(c: Case): unknown {
  const strategy = builtinStrategy(c.strategy);
  const run = runOnce(c.scenario, { seed: c.seed, strategy, recordChoices: true, keepTrace: true });
  const answers = answersOf(run);
  const w = why({ scenario: c.scenario, strategy, answers }, { maxRuns: 300 });
  const f = (x: { id: string; kind: string; subject: unknown; value: number | null }) => ({ id: x.id, kind: x.kind, subject: x.subject, value: x.value });
  const e = exportScenario({ scenario: c.scenario, strategy, strategyRef: c.strategy, answers, origin: 'labels test' }, { maxRuns: 300 });
  const { description: _d, ...written } = e.scenario;
  return {
    answers,
    choices: run.choices!.map((x) => ({ kind: x.kind, subject: x.subject, value: x.value })),
    why: { target: w.target, necessary: w.necessary.map(f), sufficient: w.sufficient.map(f), failsWithoutFaults: w.failsWithoutFaults, reproduces: w.sufficientReproduces },
    export: { written, reproduces: e.reproduces, breaks: e.breaks, target: e.target, unexpressed: e.unexpressed.map((u) => u.why), runs: e.runs },
    explanations: explainViolations(run.violations, run.trace!),
  };
}

describe('labels are never read back', () => {
  const chaos = libraryScenario('flash-sale-chaos');
  const cases: Case[] = [
    { scenario: chaos, strategy: 'lock-lease', seed: 3 },
    { scenario: chaos, strategy: 'retry-without-idempotency', seed: 6 },
    { scenario: chaos, strategy: 'wall-clock-expiry', seed: 19 },
    { scenario: libraryScenario('flash-sale'), strategy: 'naive', seed: 7 },
  ];
  for (const c of cases) {
    it(`${c.strategy} (${c.scenario.name} seed ${c.seed}): random labels change no structured result of why, export or the explanations`, () => {
      const plain = structured(c);
      randomLabels(c.seed);
      const noisy = structured(c);
      expect(noisy).toEqual(plain);
    });
  }

  it('check: the counterexample (answers, knobs, shrunk choices by kind and subject) is the same under random labels (a windowed schedule too)', () => {
    const r = loadScenarioFile(resolve(ROOT, 'test/fixtures/two-orders-race.json'));
    if (!r.ok) throw new Error('fixture');
    const shape = (s: Scenario, strategy: string) => {
      const ce = checkStrategy(s, builtinStrategy(strategy), { numRuns: 60, seed: 3 }).counterexample!;
      return { answers: ce.answers, knobs: ce.knobs, shrunk: ce.shrunkChoices.map((x) => ({ index: x.index, kind: x.kind, subject: x.subject, value: x.value })) };
    };
    const plain = [shape(chaos, 'lock-lease'), shape(r.scenario, 'naive')];
    randomLabels(99);
    expect([shape(chaos, 'lock-lease'), shape(r.scenario, 'naive')]).toEqual(plain);
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
