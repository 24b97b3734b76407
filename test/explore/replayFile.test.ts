import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runOnce, builtinStrategy } from '../../src/explore/run.js';
import { answersOf, readReplayFile, replayDataOf, replayRun, writeReplayFile } from '../../src/explore/replayFile.js';
import { InputError } from '../../src/errors.js';
import { parseScenario } from '../../src/scenario/index.js';
import { ListSource } from '../../src/sim/sources.js';
import { chaos, flashSale, ROOT } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'oversold-replay-'));

describe('recorded choices', () => {
  it('replaying the recorded answers of a seeded run reproduces its trace exactly', () => {
    const sc = chaos();
    for (const name of ['naive', 'reservation', 'lock-lease']) {
      for (const seed of [1, 2, 3]) {
        const seeded = runOnce(sc, { seed, strategy: builtinStrategy(name), recordChoices: true });
        const replayed = runOnce(sc, { strategy: builtinStrategy(name), source: new ListSource(answersOf(seeded), 'recorded') });
        expect(replayed.traceHash).toBe(seeded.traceHash);
        expect(replayed.violations).toEqual(seeded.violations);
      }
    }
  });

  it('drops trailing zeros (a list answers 0 past its end)', () => {
    const r = runOnce(flashSale(), { seed: 1, strategy: builtinStrategy('naive'), recordChoices: true });
    const list = answersOf(r);
    expect(list.length).toBeLessThanOrEqual(r.choices!.length);
    expect(list.at(-1)).not.toBe(0);
  });

  it('the embedded (resolved) scenario parses back to itself', () => {
    for (const sc of [chaos(), flashSale()]) {
      const again = parseScenario(JSON.stringify(sc), 'x.json');
      expect(again.ok).toBe(true);
      if (again.ok) expect(again.scenario).toEqual(sc);
    }
  });
});

describe('replay files', () => {
  const write = (name: string, content: unknown) => {
    const p = join(tmp, name);
    writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
    return p;
  };
  const valid = () => {
    const sc = flashSale();
    const r = runOnce(sc, { seed: 7, strategy: builtinStrategy('naive'), recordChoices: true });
    return { sc, r, data: replayDataOf(sc, r, 'naive') };
  };

  it('round-trips: write, read, replay, same trace hash and verdict', () => {
    const { r, data } = valid();
    const file = writeReplayFile(join(tmp, 'sub/dir/naive.json'), data, tmp);
    const back = readReplayFile(file, tmp);
    expect(back.answers).toEqual(data.answers);
    expect(back.seed).toBe(7);
    const again = replayRun(back, builtinStrategy(back.strategyRef));
    expect(again.matchesRecording).toBe(true);
    expect(again.run.violations).toEqual(r.violations);
    // Choices stay on one line, the rest is readable.
    expect(readFileSync(file, 'utf8')).toMatch(/"answers": \[[\d,]*\]/);
  });

  it('stores a strategy path relative to the replay file and resolves it back', () => {
    const { data } = valid();
    const file = writeReplayFile(join(tmp, 'rel/x.json'), { ...data, strategy: './examples/my-strategy.ts' }, ROOT);
    const raw = JSON.parse(readFileSync(file, 'utf8'));
    expect(raw.strategy.startsWith('.')).toBe(true);
    expect(readReplayFile(file, '/').strategyRef).toBe(join(ROOT, 'examples/my-strategy.ts'));
  });

  it('a code change shows as a hash mismatch, with the new verdict', () => {
    const { data } = valid();
    const file = writeReplayFile(join(tmp, 'changed.json'), { ...data, traceHash: '0123456789abcdef' }, tmp);
    const again = replayRun(readReplayFile(file, tmp), builtinStrategy('naive'));
    expect(again.matchesRecording).toBe(false);
    expect(again.run.verdict).toBe('violated');
  });

  const bad: Array<[string, unknown, RegExp]> = [
    ['not JSON', '{"format": ', /not JSON/],
    ['not a replay file', { format: 'oversold-trace', version: 1 }, /not an oversold replay file/],
    ['a newer version', { format: 'oversold-replay', version: 3 }, /newer oversold \(version 3\)/],
    ['an older version (answers given to a kernel that asked other questions)', { format: 'oversold-replay', version: 1, choices: [1] }, /older oversold \(replay format 1\).*record the run again/],
    ['negative answers', 'ANSWERS', /answers/],
    ['an invalid embedded scenario', 'SCENARIO', /embedded scenario is invalid: scenario\.items/],
  ];
  for (const [what, content, msg] of bad) {
    it(`rejects ${what} with one InputError line naming the file`, () => {
      const { data } = valid();
      const body = content === 'ANSWERS' ? { ...data, answers: [1, -2] } : content === 'SCENARIO' ? { ...data, scenario: { ...data.scenario, items: [] } } : content;
      const file = write(`${what.replace(/ /g, '-')}.json`, body);
      let err: unknown;
      try {
        readReplayFile(file, tmp);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(InputError);
      const m = (err as Error).message;
      expect(m).toMatch(msg);
      expect(m).toContain(file);
      expect(m.split('\n')).toHaveLength(1);
    });
  }

  it('a missing file is an InputError', () => {
    expect(() => readReplayFile(join(tmp, 'nope.json'), tmp)).toThrow(/no such file/);
  });
});
