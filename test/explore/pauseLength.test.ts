// A random pause is described as the simulator applied it (never shorter than the
// scenario's shortest pause), in check's, why's and export's words alike: one function says
// how long (sim/world.ts randomPauseMs), and the trace's pause event agrees.
import { describe, expect, it } from 'vitest';
import { runOnce, builtinStrategy } from '../../src/explore/run.js';
import { choiceContextOf, surprisingChoices } from '../../src/explore/describeChoices.js';
import { faultsOf } from '../../src/explore/minimise/faults.js';
import { why } from '../../src/explore/minimise/why.js';
import { answersOf } from '../../src/explore/replayFile.js';
import { inlineScenario } from '../helpers/scenarios.js';

const s = inlineScenario({
  items: [{ id: 'vase', stock: 3 }],
  topology: { appServers: 2 },
  workload: { orders: [{ atMs: 0, app: 'app1', item: 'vase' }, { atMs: 30, app: 'app2', item: 'vase' }] },
  faults: { randomPauses: { perMille: 500, durationMsMin: 3000, durationMsMax: 4000 } },
  strategy: { name: 'lock-lease', options: { leaseTicks: 5 } },
});
const strategy = builtinStrategy('lock-lease');

describe('pause lengths: what the simulator applied, not the raw answer', () => {
  // A run where a pause's raw answer is below durationMsMin (the simulator lengthens it).
  const seed = [...Array(300).keys()].find((k) => {
    const r = runOnce(s, { seed: k, strategy, recordChoices: true });
    return r.verdict === 'violated' && r.choices!.some((c) => c.kind === 'pause' && c.value > 0 && c.value < 3000);
  });

  it('check (surprisingChoices), why (faultsOf) and the trace say the same length', () => {
    expect(seed, 'a failing seed with a short raw pause answer').toBeDefined();
    const r = runOnce(s, { seed: seed!, strategy, recordChoices: true, keepTrace: true });
    const short = r.choices!.find((c) => c.kind === 'pause' && c.value > 0 && c.value < 3000)!;
    const pauses = r.trace!.filter((e) => e.type === 'pause');
    const applied = pauses.map((p) => (p.type === 'pause' ? p.untilMs - p.t : 0));
    expect(applied.every((d) => d >= 3000)).toBe(true);
    const ctx = choiceContextOf(s);
    const shown = surprisingChoices(r.choices!, ctx).find((c) => c.index === short.index)!;
    expect(shown.text).toMatch(/^pause (\d+) ms/);
    const ms = Number(/^pause (\d+) ms/.exec(shown.text)![1]);
    expect(ms).toBe(3000);
    expect(applied).toContain(ms);
    expect(faultsOf(r.choices!, [], ctx).find((f) => f.index === short.index)!.text).toMatch(/^pause 3000 ms/);
    const w = why({ scenario: s, strategy, answers: answersOf(r) });
    for (const f of w.faults) if (f.kind === 'pause' && f.source === 'choice') expect(Number(/^pause (\d+) ms/.exec(f.text)![1])).toBeGreaterThanOrEqual(3000);
  });
});
