import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { why } from '../../src/explore/minimise/why.js';
import { formatWhy } from '../../src/report/whyText.js';
import { colorsFor } from '../../src/report/colors.js';
import { AlignedSource } from '../../src/explore/alignedSource.js';
import { Budget, ddmin, dropUnneeded, necessaryOf } from '../../src/explore/minimise/search.js';
import { faultsOf } from '../../src/explore/minimise/faults.js';
import { answersKeeping } from '../../src/explore/minimise/removal.js';
import { subjectKey } from '../../src/sim/subjects.js';
import { exportScenario } from '../../src/explore/minimise/export.js';
import { runOnce, builtinStrategy, type RunResult } from '../../src/explore/run.js';
import { replayDataOf, writeReplayFile, answersOf } from '../../src/explore/replayFile.js';
import { parseScenario, type Scenario } from '../../src/scenario/index.js';
import { libraryScenario, inlineScenario } from '../helpers/scenarios.js';
import { cli } from '../helpers/cli.js';

/** A failing seeded run of a library scenario, as `why` and `export` take it. */
function failing(scenario: Scenario, strategy: string, seed: number): { scenario: Scenario; run: RunResult; answers: number[] } {
  const run = runOnce(scenario, { seed, strategy: builtinStrategy(strategy), recordChoices: true });
  expect(run.verdict, `${strategy} seed ${seed} should fail`).toBe('violated');
  return { scenario, run, answers: answersOf(run) };
}

describe('the searches: necessary, greedy, ddmin', () => {
  it('necessary: the items whose removal alone stops the failure, one budget unit each', () => {
    const b = new Budget(100);
    // Fails while it holds 3 and (2 or 5): 3 is needed alone, 2 and 5 only together.
    const fails = (s: readonly number[]) => s.includes(3) && (s.includes(2) || s.includes(5));
    expect(necessaryOf([1, 2, 3, 4, 5], fails, b)).toEqual([3]);
    expect(b.used).toBe(5);
    const short = new Budget(2);
    expect(necessaryOf([3, 1, 2], (s) => s.includes(2), short)).toEqual([]);
    expect(short.used).toBe(2);
  });

  it('greedy drops each item not needed, last first, so of two that serve the same end the first stays', () => {
    const tried: number[][] = [];
    const fails = (s: readonly number[]) => {
      tried.push([...s]);
      return s.includes(3) && (s.includes(2) || s.includes(5));
    };
    expect(dropUnneeded([1, 2, 3, 4, 5], fails)).toEqual([2, 3]);
    expect(tried[0]).toEqual([1, 2, 3, 4]);
    expect(tried).toHaveLength(5);
  });

  it('finds a 1-minimal failing subset', async () => {
    const b = new Budget(1000);
    expect(ddmin([1, 2, 3, 4, 5, 6, 7, 8], (s) => s.includes(3) && s.includes(6), b)).toEqual([3, 6]);
    expect(ddmin([1, 2, 3], () => true, new Budget(10))).toEqual([]);
  });

  it('stops at its budget with the smallest failing subset found so far', async () => {
    const b = new Budget(3);
    const out = ddmin([1, 2, 3, 4, 5, 6, 7, 8], (s) => s.includes(8), b);
    expect(out).toContain(8);
    expect(b.used).toBe(3);
  });
});

describe('why: the faults a violation needs', () => {
  it('lock-lease in the chaos sale: the pause past the lease is necessary, and sufficient alone', async () => {
    const f = failing(libraryScenario('flash-sale-chaos'), 'lock-lease', 3);
    const w = why({ scenario: f.scenario, strategy: builtinStrategy('lock-lease'), answers: f.answers });
    expect(w.target).toEqual(['unique-units']);
    expect(w.necessary.map((x) => x.text)).toEqual(['step 0: pause app2 at 250 ms for 8000 ms']);
    expect(w.sufficient.map((x) => x.kind)).toEqual(['pause']);
    expect(w.failsWithoutFaults).toBe(false);
  });

  it('lock-lease with a random pause: the recorded pause choice is named', async () => {
    const s = inlineScenario({
      items: [{ id: 'vase', stock: 3 }],
      topology: { appServers: 2 },
      workload: { orders: [{ atMs: 0, app: 'app1', item: 'vase' }, { atMs: 30, app: 'app2', item: 'vase' }] },
      faults: { randomPauses: { perMille: 300, durationMsMin: 2000, durationMsMax: 3000 } },
      strategy: { name: 'lock-lease', options: { leaseTicks: 5 } },
    });
    const seed = [...Array(200).keys()].find((k) => runOnce(s, { seed: k, strategy: builtinStrategy('lock-lease') }).verdict === 'violated');
    expect(seed).toBeDefined();
    const f = failing(s, 'lock-lease', seed!);
    const w = why({ scenario: s, strategy: builtinStrategy('lock-lease'), answers: f.answers });
    expect(w.necessary.some((x) => x.kind === 'pause' && x.source === 'choice')).toBe(true);
    expect(w.sufficient.every((x) => x.kind === 'pause')).toBe(true);
  });

  it('retry-without-idempotency: the lost reply is necessary and sufficient', async () => {
    const f = failing(libraryScenario('flash-sale-chaos'), 'retry-without-idempotency', 6);
    const w = why({ scenario: f.scenario, strategy: builtinStrategy('retry-without-idempotency'), answers: f.answers });
    expect(w.target).toEqual(['acknowledged-is-sold']);
    expect(w.necessary.map((x) => x.kind)).toEqual(['drop-reply']);
    expect(w.sufficient.map((x) => x.kind)).toEqual(['drop-reply']);
    // What was lost, as data: an order's decrement reply (the text is for people).
    expect(w.sufficient[0].subject).toMatchObject({ type: 'message', call: 'decrement', reply: true, from: 'db', process: expect.stringMatching(/^o\d+$/) });
  });

  it('the sufficient set is 1-minimal and breaks the invariant on its own, a necessary fault it can do without named apart (retry-without-idempotency, chaos sale, seed 2)', async () => {
    // The audit's repro: `run scenarios/flash-sale-chaos.json --strategy retry-without-idempotency
    // --seed 2 --record r2.json; why r2.json` named a necessary fault (a lost decrement request
    // of o9) that its "minimal sufficient set" left out.
    const strategy = builtinStrategy('retry-without-idempotency');
    const f = failing(libraryScenario('flash-sale-chaos'), 'retry-without-idempotency', 2);
    const w = why({ scenario: f.scenario, strategy, answers: f.answers });
    expect(w.target).toEqual(['acknowledged-is-sold']);
    // Matched by origin, the 8 s pause of app2 (step 0) is not needed: with it removed, the
    // lost request of o9 still falls on o9's request and the violation stays.
    expect(w.necessary.map((x) => x.id)).toEqual(['step 1', 'choice 62']);
    // Necessary in the recorded run, but once the other faults are gone the violation
    // happens without o9's lost request: 1-minimal leaves it out, and the words say so.
    expect(w.sufficient.map((x) => x.id)).toContain('step 1');
    expect(w.sufficient.map((x) => x.id)).not.toContain('choice 62');
    const text = formatWhy(w, 'r2.json', colorsFor({ isTTY: false }, {}), [], w.timings, 200);
    expect(text).toMatch(/note {5}this necessary fault is not in the set: .*\n  ✗ drop-request: o9's decrement/);
    expect(w.sufficientReproduces).toBe(true);
    expect(w.failsWithoutFaults).toBe(false);
    // In the order of the run's faults, each listed once.
    expect(w.sufficient).toEqual(w.faults.filter((x) => w.sufficient.includes(x)));
    // Checked here too, independently: only the sufficient faults kept, it still breaks.
    const recorded = w.run.choices!;
    const values = recorded.map((c) => c.value);
    for (const x of w.faults) if (x.source === 'choice' && !w.sufficient.includes(x)) values[x.index] = 0;
    const steps = f.scenario.faults.steps.filter((_, i) => w.sufficient.some((x) => x.source === 'step' && x.index === i));
    const only = runOnce({ ...f.scenario, faults: { ...f.scenario.faults, steps } }, { strategy, source: new AlignedSource(recorded, values) });
    expect(only.violations.map((v) => v.invariant)).toContain('acknowledged-is-sold');
  });

  it('the sufficient set reproduces on a few more failing runs, every necessary fault in it or named apart', async () => {
    for (const [strategy, seed] of [['lock-lease', 3], ['retry-without-idempotency', 6], ['wall-clock-expiry', 1]] as const) {
      const runs = [seed, seed + 1, seed + 2, seed + 3, seed + 4].map((k) => ({ k, r: runOnce(libraryScenario('flash-sale-chaos'), { seed: k, strategy: builtinStrategy(strategy) }) }));
      const hit = runs.find((x) => x.r.verdict === 'violated');
      if (hit === undefined) continue;
      const f = failing(libraryScenario('flash-sale-chaos'), strategy, hit.k);
      const w = why({ scenario: f.scenario, strategy: builtinStrategy(strategy), answers: f.answers }, { maxRuns: 300 });
      const text = formatWhy(w, 'r.json', colorsFor({ isTTY: false }, {}), [], w.timings, 400);
      for (const n of w.necessary) if (!w.sufficient.includes(n)) expect(text.split('note')[1] ?? '', `${strategy} seed ${hit.k}: ${n.text}`).toContain(n.text);
      expect(w.sufficientReproduces, `${strategy} seed ${hit.k}`).toBe(true);
    }
  });

  it('naive needs no fault at all: the race is in the code', async () => {
    const f = failing(libraryScenario('flash-sale'), 'naive', 7);
    const w = why({ scenario: f.scenario, strategy: builtinStrategy('naive'), answers: f.answers });
    expect(w.failsWithoutFaults).toBe(true);
    expect(w.necessary).toEqual([]);
    expect(w.sufficient).toEqual([]);
    expect(w.sufficientReproduces).toBe(true);
  });

  it('replaying by meaning reproduces the recorded run exactly when nothing is removed', async () => {
    const f = failing(libraryScenario('flash-sale-chaos'), 'lock-lease', 3);
    const rec = runOnce(f.scenario, { seed: 3, strategy: builtinStrategy('lock-lease'), recordChoices: true });
    const again = runOnce(f.scenario, { strategy: builtinStrategy('lock-lease'), source: new AlignedSource(rec.choices!, rec.choices!.map((c) => c.value)) });
    expect(again.traceHash).toBe(rec.traceHash);
  });
});

describe('removing faults by meaning (check\'s polish, why and export all re-run this way)', () => {
  it('a fault removed leaves every other fault on its own question, even when the changed run asks its questions in another order', () => {
    const key = (c: { kind: string; subject: Parameters<typeof subjectKey>[0] }) => `${c.kind}|${subjectKey(c.subject)}`;
    let shifted = 0;
    let cases = 0;
    for (const strategy of ['retry-without-idempotency', 'lock-lease']) {
      for (let seed = 1; seed <= 12; seed++) {
        const rec = runOnce(libraryScenario('flash-sale-chaos'), { seed, strategy: builtinStrategy(strategy), recordChoices: true });
        const recorded = rec.choices!;
        const faults = faultsOf(recorded, []).filter((f) => f.category === 'fault');
        // Remove the first fault of the network or the provider (clock skews are asked first,
        // before anything else, so removing one moves nothing); keep the rest.
        const gone = faults.find((f) => !f.kind.startsWith('clock'));
        if (gone === undefined || faults.length < 8) continue;
        cases++;
        const kept = faults.filter((f) => f !== gone);
        const again = runOnce(libraryScenario('flash-sale-chaos'), {
          strategy: builtinStrategy(strategy), source: answersKeeping(recorded, faults, kept), recordChoices: true,
        }).choices!;
        const want = new Map(kept.map((f) => [key(recorded[f.index]), f.value]));
        const removed = key(recorded[gone.index]);
        for (const c of again) {
          const k = key(c);
          if (k === removed) expect(c.value, `${strategy} seed ${seed}: the removed fault ${k}`).toBe(0);
          else if (want.has(k)) expect(c.value, `${strategy} seed ${seed}: kept fault ${k}`).toBe(want.get(k));
          else if (c.kind !== 'schedule' && !['delay', 'replica-lag', 'payment-delay', 'arrival', 'replica'].includes(c.kind)) {
            expect(c.value, `${strategy} seed ${seed}: ${k} was calm in the recording`).toBe(0);
          }
        }
        // By position, some kept fault's answer would have landed on another question.
        if (kept.some((f) => again[f.index] === undefined || key(again[f.index]) !== key(recorded[f.index]))) shifted++;
      }
    }
    expect(cases).toBeGreaterThan(3);
    // The check above is not vacuous: removing a fault did move later questions.
    expect(shifted).toBeGreaterThan(0);
  });
});

describe('export: a failing run as an editable scenario', () => {
  // lock-lease 16 needs a duplicate's own timings (copyExtraMs, copyReplyExtraMs); wall-clock-expiry
  // 56 replica lags of log entries that share one seq (delay-replica counts entries).
  for (const [scenario, strategy, seed] of [['flash-sale', 'naive', 7], ['flash-sale-chaos', 'lock-lease', 3], ['flash-sale-chaos', 'retry-without-idempotency', 6], ['flash-sale-chaos', 'lock-lease', 16], ['flash-sale-chaos', 'wall-clock-expiry', 56]] as const) {
    it(`${strategy} (${scenario} seed ${seed}): the exported scenario breaks the same invariant with no random faults`, async () => {
      const f = failing(libraryScenario(scenario), strategy, seed);
      const e = exportScenario({ scenario: f.scenario, strategy: builtinStrategy(strategy), strategyRef: strategy, answers: f.answers, origin: 'test' });
      expect(e.reproduces).toBe(true);
      const parsed = parseScenario(JSON.stringify(e.scenario), 'found.json');
      expect(parsed.ok).toBe(true);
      const s = (parsed as { ok: true; scenario: Scenario }).scenario;
      expect(s.network).toMatchObject({ dropRequestPerMille: 0, dropReplyPerMille: 0, duplicatePerMille: 0 });
      expect(s.network.delayMsMax).toBe(s.network.delayMsMin);
      expect(s.faults.randomPauses.perMille).toBe(0);
      expect('orders' in s.workload).toBe(true);
      // any seed: nothing random is left that matters
      for (const seed2 of [1, 2, 99]) {
        const r = runOnce(s, { seed: seed2, strategy: builtinStrategy(strategy) });
        expect(r.violations.map((v) => v.invariant)).toEqual(expect.arrayContaining(f.run.violations.map((v) => v.invariant).filter((i) => e.breaks.includes(i))));
        expect(r.violations.some((v) => e.target.includes(v.invariant))).toBe(true);
      }
    });
  }

  it('writes the faults that mattered as steps: the lock-lease pause, the lost decrement reply', async () => {
    const ll = failing(libraryScenario('flash-sale-chaos'), 'lock-lease', 3);
    const e1 = exportScenario({ scenario: ll.scenario, strategy: builtinStrategy('lock-lease'), strategyRef: 'lock-lease', answers: ll.answers, origin: 't' });
    expect(e1.steps).toContain('pause app2 at 250 ms for 8000 ms');
    const rw = failing(libraryScenario('flash-sale-chaos'), 'retry-without-idempotency', 6);
    const e2 = exportScenario({ scenario: rw.scenario, strategy: builtinStrategy('retry-without-idempotency'), strategyRef: 'retry-without-idempotency', answers: rw.answers, origin: 't' });
    expect(e2.steps).toEqual([expect.stringMatching(/^drop-reply of o\d+'s decrement$/)]);
    // Its 10 replica lags above the minimum were candidates too (delay-replica), not left out.
    expect(e2.unexpressed).toEqual([]);
  });
});

describe('export: timings the scenario language writes as steps', () => {
  // stale-replica-read with a random lag (0-5 s) instead of a fixed 3-5 s: the oversell needs
  // the replica to lag on the first write, which only a delay-replica step can pin.
  const staleRead = () => {
    const base = libraryScenario('stale-replica-read');
    return inlineScenario({
      items: base.items, strategy: { name: 'naive' }, seed: 1,
      topology: { appServers: 2, replicas: [{ lagMsMin: 0, lagMsMax: 5000 }], readFrom: 'replicas' },
      workload: { orders: [0, 1000, 2000, 3000, 4000].map((atMs, i) => ({ atMs, app: i % 2 === 0 ? 'app1' : 'app2', item: 'vase' })) },
    }, 'stale-read');
  };

  it('a stale read that needs one slow replica entry becomes one delay-replica step, and the file reproduces it', async () => {
    const f = failing(staleRead(), 'naive', 1);
    const e = exportScenario({ scenario: f.scenario, strategy: builtinStrategy('naive'), strategyRef: 'naive', answers: f.answers, origin: 't' });
    expect(e.reproduces).toBe(true);
    expect(e.steps).toEqual([expect.stringMatching(/^delay replica1's apply of log entry 1 by \d+ ms$/)]);
    expect(e.unexpressed.filter((u) => u.fault.startsWith('replica lag'))).toEqual([]);
    const written = (parseScenario(JSON.stringify(e.scenario), 'found.json') as { ok: true; scenario: Scenario }).scenario;
    expect(written.topology.replicas).toEqual([{ lagMsMin: 0, lagMsMax: 0 }]);
    // The step is what breaks it: without it the pinned replica is never stale and naive,
    // whose orders never overlap here, sells correctly.
    const without = runOnce({ ...written, faults: { ...written.faults, steps: [] } }, { strategy: builtinStrategy('naive') });
    expect(without.verdict).toBe('ok');
  });

  it('a delay-replica step delays that log entry and, in log order, the ones after it', async () => {
    const s = (steps: unknown[]) => inlineScenario({
      items: [{ id: 'vase', stock: 3 }], topology: { appServers: 1, replicas: [{ lagMsMin: 100, lagMsMax: 100 }], readFrom: 'replicas' },
      workload: { orders: [{ atMs: 0, app: 'app1', item: 'vase' }, { atMs: 1000, app: 'app1', item: 'vase' }] },
      faults: { steps }, strategy: { name: 'naive' },
    });
    // What the replica says at each read: the stock it has applied.
    const reads = (sc: Scenario) => (runOnce(sc, { strategy: builtinStrategy('naive'), keepTrace: true }).trace ?? [])
      .flatMap((e) => (e.type === 'domain' && e.what === 'replica-read' ? [e.data.stock] : []));
    expect(reads(s([]))).toEqual([3, 2]);
    expect(reads(s([{ kind: 'delay-replica', replica: 'replica1', entry: 1, extraMs: 5000 }]))).toEqual([3, 3]);
  });

  it('a duplicated request travels as two messages: delay-call delays the original, copyExtraMs the copy, copyReplyExtraMs the reply to the copy', async () => {
    const sc = inlineScenario({
      items: [{ id: 'vase', stock: 3 }], topology: { appServers: 1 }, network: { delayMsMin: 50, delayMsMax: 50 },
      workload: { orders: [{ atMs: 0, app: 'app1', item: 'vase' }] }, strategy: { name: 'naive' },
      faults: { steps: [
        { kind: 'duplicate-request', call: 'read', order: 'o1', copyExtraMs: 300, copyReplyExtraMs: 1000 },
        { kind: 'delay-call', call: 'read', order: 'o1', extraMs: 100 },
      ] },
    });
    const msgs = (runOnce(sc, { strategy: builtinStrategy('naive'), keepTrace: true }).trace ?? [])
      .flatMap((e) => ((e.type === 'send' || e.type === 'duplicate') && e.call === 'read' ? [`${e.type}${e.reply ? ' reply' : ''} at ${e.t} -> ${e.deliverAt}`] : []));
    expect(msgs).toEqual([
      'send at 0 -> 150', // 50 drawn + 100 (delay-call)
      'duplicate at 0 -> 350', // 50 drawn + 300 (copyExtraMs), not the delay-call's 100
      'send reply at 150 -> 200',
      'send reply at 350 -> 1400', // the reply to the copy: 50 + 1000 (copyReplyExtraMs)
    ]);
  });

  it('a payment delay is written as delay-call of that charge: the charge lands at the same moment', async () => {
    // One order, so one charge: the provider taking 500 ms longer vs the request arriving 500 ms later.
    const s = (paymentMs: number, steps: unknown[]) => inlineScenario({
      items: [{ id: 'vase', stock: 1 }], topology: { appServers: 1 }, payment: { delayMsMin: paymentMs, delayMsMax: paymentMs },
      workload: { orders: [{ atMs: 0, app: 'app1', item: 'vase' }] }, faults: { steps }, strategy: { name: 'reservation' },
    });
    const chargedAt = (sc: Scenario) => (runOnce(sc, { strategy: builtinStrategy('reservation'), keepTrace: true }).trace ?? [])
      .filter((e) => e.type === 'domain' && e.what.startsWith('payment:charge')).map((e) => e.t);
    const slowProvider = chargedAt(s(520, []));
    expect(slowProvider).toHaveLength(1);
    expect(chargedAt(s(20, [{ kind: 'delay-call', call: 'charge', order: 'o1', extraMs: 500 }]))).toEqual(slowProvider);
    expect(chargedAt(s(20, []))[0]).toBe(slowProvider[0] - 500);
  });

  it('export leaves no replica lag or payment delay unexpressed', async () => {
    // wall-clock-expiry, chaos sale, seed 4: 18 payment delays and 25 replica lags above their minimum.
    const f = failing(libraryScenario('flash-sale-chaos'), 'wall-clock-expiry', 4);
    for (const kind of ['payment-delay', 'replica-lag']) expect(f.run.choices!.some((c) => c.kind === kind && c.value > 0)).toBe(true);
    const e = exportScenario({ scenario: f.scenario, strategy: builtinStrategy('wall-clock-expiry'), strategyRef: 'wall-clock-expiry', answers: f.answers, origin: 't' });
    expect(e.reproduces).toBe(true);
    expect(e.unexpressed.filter((u) => /replica lag|payment delay/.test(u.fault)), JSON.stringify(e.unexpressed, null, 1)).toEqual([]);
  });
});

describe('export: a random pause that struck as a reply arrived', () => {
  it('is written as a pause on that delivery, which strikes at the same point of the event order (a pause at the same millisecond does not reproduce it)', async () => {
    // lock-lease, chaos sale, seed 12: app1 pauses 16.7 s as the reply to o4's 5th lock call arrives.
    const f = failing(libraryScenario('flash-sale-chaos'), 'lock-lease', 12);
    const e = exportScenario({ scenario: f.scenario, strategy: builtinStrategy('lock-lease'), strategyRef: 'lock-lease', answers: f.answers, origin: 't' });
    expect(e.reproduces).toBe(true);
    const steps = (e.scenario.faults as { steps: Array<Record<string, unknown>> }).steps;
    const pause = steps.find((x) => x.kind === 'pause' && x.onDelivery !== undefined);
    expect(pause).toEqual({ kind: 'pause', node: 'app1', onDelivery: { call: 'lock', order: 'o4', attempt: 5, reply: true, copy: 0 }, durationMs: 16673 });
    expect(e.steps).toContain("pause app1 for 16673 ms on delivery of o4's lock (attempt 5) reply");
    // The same pause started at that millisecond instead strikes before the other events of
    // that millisecond, and the race is gone.
    const choice = f.run.choices!.find((c) => c.kind === 'pause' && c.value > 0 && c.subject.type === 'message' && c.subject.process === 'o4' && c.subject.attempt === 5)!;
    const atTime = steps.map((x) => (x === pause ? { kind: 'pause', node: 'app1', atMs: choice.timeMs, durationMs: 16673 } : x));
    const written = parseScenario(JSON.stringify({ ...e.scenario, faults: { ...(e.scenario.faults as object), steps: atTime } }), 'at-time.json');
    expect(written.ok).toBe(true);
    expect(runOnce((written as { ok: true; scenario: Scenario }).scenario, { strategy: builtinStrategy('lock-lease') }).verdict).toBe('ok');
  });

  it('a few more failing runs with a random pause export to a scenario that reproduces them', async () => {
    for (const [strategy, seed] of [['lock-lease', 17], ['wall-clock-expiry', 56], ['retry-without-idempotency', 45]] as const) {
      const f = failing(libraryScenario('flash-sale-chaos'), strategy, seed);
      const e = exportScenario({ scenario: f.scenario, strategy: builtinStrategy(strategy), strategyRef: strategy, answers: f.answers, origin: 't' });
      expect(e.reproduces, `${strategy} seed ${seed}`).toBe(true);
      expect((e.scenario.faults as { steps: Array<Record<string, unknown>> }).steps.some((x) => x.kind === 'pause' && x.onDelivery !== undefined), `${strategy} seed ${seed}`).toBe(true);
    }
  });
});

describe('export: faults that changed nothing', () => {
  it('a decline drawn for a retried charge that the provider answered from its idempotency record is neither a step nor left out', async () => {
    // wall-clock-expiry, chaos sale, seed 19: app3's recovery retries o9's charge at 4676 ms, the
    // decline is drawn, and the provider answers from the stored result (payment:charge-dedup).
    const f = failing(libraryScenario('flash-sale-chaos'), 'wall-clock-expiry', 19);
    const decline = f.run.choices!.find((c) => c.kind === 'decline' && c.value > 0 && c.subject.type === 'message' && c.subject.process === 'recover-app3');
    expect(decline?.timeMs).toBe(4676);
    const trace = runOnce(f.scenario, { seed: 19, strategy: builtinStrategy('wall-clock-expiry'), keepTrace: true }).trace!;
    expect(trace.some((e) => e.t === 4676 && e.type === 'domain' && e.what === 'payment:charge-dedup' && e.order === 'o9')).toBe(true);
    const e = exportScenario({ scenario: f.scenario, strategy: builtinStrategy('wall-clock-expiry'), strategyRef: 'wall-clock-expiry', answers: f.answers, origin: 't' });
    expect(e.unexpressed).toEqual([]);
    expect(e.reproduces).toBe(true);
  });
});

describe('why and export on the command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oversold-why-'));
  function record(scenario: string, strategy: string, seed: number): string {
    const s = libraryScenario(scenario);
    const r = runOnce(s, { seed, strategy: builtinStrategy(strategy), recordChoices: true });
    return writeReplayFile(join(dir, `${strategy}-${seed}.json`), replayDataOf(s, r, strategy), dir);
  }

  it('`why --json` names the necessary pause of a lock-lease failure; exit 1', async () => {
    const file = record('flash-sale-chaos', 'lock-lease', 3);
    const r = await cli(['why', file, '--json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual(['file', 'scenario', 'strategy', 'matchesRecording', 'verdictMatchesRecording', 'fileEdited', 'strategyChanged', 'invariants', 'faults', 'necessary', 'sufficient', 'failsWithoutFaults', 'timings', 'runs', 'budgetExhausted', 'explanations']);
    expect(j.matchesRecording).toBe(true);
    expect(j.necessary.map((f: { kind: string }) => f.kind)).toEqual(['pause']);
    expect(j.explanations[0].anomaly).toBe('zombie-write');
  });

  it('`why` in words names the lost reply of retry-without-idempotency', async () => {
    const r = await cli(['why', record('flash-sale-chaos', 'retry-without-idempotency', 6)]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/necessary +removing any one of these makes acknowledged-is-sold go away:\n +✗ drop-reply: o\d+'s decrement reply db->app\d/);
  });

  it('`export -o` writes a scenario that `run` shows breaking the same invariant', async () => {
    const out = join(dir, 'found.json');
    const e = await cli(['export', record('flash-sale-chaos', 'lock-lease', 3), '-o', out, '--json']);
    expect(e.code).toBe(0);
    const j = JSON.parse(e.stdout);
    expect(j).toMatchObject({ reproduces: true, invariants: ['unique-units'] });
    expect(JSON.parse(readFileSync(out, 'utf8')).faults.steps).toContainEqual({ kind: 'pause', node: 'app2', atMs: 250, durationMs: 8000 });
    const run = await cli(['run', out, '--json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).violations.map((v: { invariant: string }) => v.invariant)).toContain('unique-units');
    expect(JSON.parse(run.stdout).expectation.met).toBe(true);
  });

  it('bad input exits 2 with one line: a passing run, a missing -o, a missing file', async () => {
    const s = libraryScenario('flash-sale');
    const ok = runOnce(s, { seed: 7, strategy: builtinStrategy('conditional-decrement'), recordChoices: true });
    expect(ok.verdict).toBe('ok');
    const passing = writeReplayFile(join(dir, 'ok.json'), replayDataOf(s, ok, 'conditional-decrement'), dir);
    for (const args of [['why', passing], ['export', passing, '-o', join(dir, 'x.json')], ['export', passing], ['why', join(dir, 'nope.json')]]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('why asks the timings when no fault is necessary', () => {
  // lock-lease with a 200 ms lease over a slow network and no fault at all: a write that
  // travels longer than the lease lands after another order's. No fault can be necessary;
  // the slow delivery is, and `why` must name it instead of blaming the code.
  const s = inlineScenario({
    items: [{ id: 'vase', stock: 3 }],
    topology: { appServers: 2 },
    network: { delayMsMin: 10, delayMsMax: 900 },
    workload: { orders: [{ atMs: 0, app: 'app1', item: 'vase' }, { atMs: 100, app: 'app2', item: 'vase' }] },
    strategy: { name: 'lock-lease', options: { leaseTicks: 2 } },
  });
  const strategy = builtinStrategy('lock-lease');
  const seed = [...Array(300).keys()].find((k) => runOnce(s, { seed: k, strategy }).verdict === 'violated');

  it('names the slow delivery (a timing) as necessary and sufficient, not "the race is in the code"', () => {
    expect(seed, 'a failing seed of the slow-network lease').toBeDefined();
    const f = failing(s, 'lock-lease', seed!);
    const faultsOnly = why({ scenario: s, strategy, answers: f.answers }, { timings: false });
    expect(faultsOnly.faults.filter((x) => x.category === 'fault')).toEqual([]);
    expect(faultsOnly.failsWithoutFaults).toBe(true);
    const w = why({ scenario: s, strategy, answers: f.answers });
    expect(w.timings).toBe(true);
    expect(w.timingsByDefault).toBe(true);
    expect(w.failsWithoutFaults).toBe(false);
    expect(w.sufficient.length).toBeGreaterThan(0);
    expect(w.sufficient.every((x) => x.category === 'timing')).toBe(true);
    const text = formatWhy(w, 'r.json', colorsFor({ isTTY: false }, {}), [], w.timings, 200);
    expect(text).toContain('no fault alone is necessary, so the timings were asked too');
    expect(text).not.toContain('the race is in the code');
  });
});
