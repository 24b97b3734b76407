import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'oversold-replay-cli-'));

describe('oversold run --record and oversold replay', () => {
  it('a recorded seeded run replays with the same trace, in a fresh process', async () => {
    const file = join(tmp, 'run.json');
    const run = await cli(['run', 'scenarios/flash-sale-chaos.json', '--strategy', 'lock-lease', '--seed', '3', '--record', file, '--json']);
    const rj = JSON.parse(run.stdout);
    expect(rj.replayFile).toBeTruthy();
    const rep = await cli(['replay', file, '--json']);
    const pj = JSON.parse(rep.stdout);
    expect(pj.matchesRecording).toBe(true);
    expect(pj.traceHash).toBe(rj.traceHash);
    expect(pj.verdict).toBe(rj.verdict);
    expect(rep.code).toBe(run.code);
  });

  it('a changed run (here: a tampered hash) is reported as a mismatch, still with the new verdict', async () => {
    const file = join(tmp, 'naive.json');
    await cli(['run', 'scenarios/flash-sale.json', '--strategy', 'naive', '--seed', '7', '--record', file]);
    const data = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...data, traceHash: '0000000000000000' }));
    const human = await cli(['replay', file]);
    expect(human.code).toBe(1);
    expect(human.stdout).toContain('VIOLATED');
    expect(human.stdout).toMatch(/MISMATCH: recorded trace 0000000000000000, this run [0-9a-f]{16}; same verdict \(violated \([a-z, -]+\)\)\. Why: the replay file was edited after it was written/);
    const j = JSON.parse((await cli(['replay', file, '--json'])).stdout);
    expect(j.matchesRecording).toBe(false);
    expect(j.recordedTraceHash).toBe('0000000000000000');
  });

  it('a bad replay file exits 2 with one line naming it', async () => {
    const bad = join(tmp, 'bad.json');
    writeFileSync(bad, '{"format":"oversold-replay","version":1,"choices":"x"}');
    for (const f of [bad, join(tmp, 'missing.json'), 'scenarios/flash-sale.json']) {
      const r = await cli(['replay', f]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(f);
    }
  });
});
