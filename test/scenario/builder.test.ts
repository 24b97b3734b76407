// The fluent builder: each method is one field or one fault step of the file form, and build()
// goes through the real loader, so code and JSON are accepted, refused and resolved alike.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, parseScenario, scenario, ScenarioBuildError, type ScenarioInput } from '../../src/scenario/index.js';
import { runOnce } from '../../src/explore/run.js';
import { faultStepSchema } from '../../src/scenario/faultsSchema.js';
import { libraryScenario, ROOT } from '../helpers/scenarios.js';

function fileForm(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(resolve(ROOT, 'scenarios', `${name}.json`), 'utf8')) as Record<string, unknown>;
}

/** The loader's message for a file form, without the place (the builder has no text to point into). */
function loaderMessage(input: unknown, label: string): string {
  const r = parseScenario(JSON.stringify(input), 'scenario.json');
  if (r.ok) throw new Error('expected the loader to refuse it');
  return r.problems.map(({ line: _l, column: _c, ...p }) => formatProblem({ ...p, file: label })).join('\n');
}

function thrown(f: () => unknown): ScenarioBuildError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioBuildError);
    return e as ScenarioBuildError;
  }
  throw new Error('expected build() to throw');
}

const gcPause = scenario('gc-pause-lock-lease')
  .$schema('./schema/scenario.schema.json')
  .description(fileForm('gc-pause-lock-lease').description as string)
  .seed(1)
  .items({ vase: 1 })
  .appServers(2)
  .network({ delayMsMin: 40, delayMsMax: 60 })
  .order({ atMs: 0, app: 'app1', item: 'vase' })
  .order({ atMs: 50, app: 'app2', item: 'vase' })
  .pause('app1', { atMs: 150, durationMs: 5000 })
  .strategy('lock-lease', { leaseTicks: 20 })
  .expect(['no-oversell', 'unique-units']);

describe('scenario() builder', () => {
  it('gives the file form of a library scenario, key for key, and the same resolved scenario', () => {
    const { name: _name, ...json } = gcPause.toJSON() as Record<string, unknown>;
    expect(json).toEqual(fileForm('gc-pause-lock-lease'));
    expect(Object.keys(json)).toEqual(Object.keys(fileForm('gc-pause-lock-lease')));
    expect(gcPause.build()).toEqual(libraryScenario('gc-pause-lock-lease'));
  });

  it('builds scenarios that use every step kind and section, equal to the parsed file form', () => {
    const b = scenario('everything')
      .description('every method once')
      .seed(7)
      .items({ vase: 10 })
      .item('lamp', 2)
      .appServers(3)
      .replicas({ lagMsMin: 10, lagMsMax: 20 }, {})
      .readFrom('primary')
      .dbTickMs(50)
      .network({ delayMsMin: 5, delayMsMax: 10, dropRequestPerMille: 1, dropReplyPerMille: 2, duplicatePerMille: 3 })
      .link('app1', 'db', { delayMsMin: 1, delayMsMax: 2 })
      .payment({ delayMsMin: 1, delayMsMax: 3, failPerMille: 100 })
      .order({ atMs: 0, app: 'app1', item: 'vase', qty: 2 })
      .orders([{ app: 'app2', lines: [{ item: 'vase' }, { item: 'lamp', qty: 1 }] }])
      .faultsUntilMs(5000)
      .randomPauses({ perMille: 5, durationMsMin: 1, durationMsMax: 100, nodes: ['app1'] })
      .clockSkew({ offsetMsMax: 10, driftPpmMax: 100 })
      .pause('app1', { atMs: 10, durationMs: 100 })
      .crash('app2', { atMs: 20, restartAtMs: 200 })
      .crash('app3', { atMs: 30 })
      .partition(['app1'], ['db', 'lock'], { atMs: 300, healAtMs: 400, direction: 'a-to-b' })
      .clock('app3', { offsetMs: -500, driftPpm: 200 })
      .dropRequest('reserve', { order: 'o1' })
      .dropReply('confirm', { order: 'o1', attempt: 1 })
      .duplicateRequest('charge', { order: 'o2', attempt: 2 }, { copyExtraMs: 30, copyReplyExtraMs: 60 })
      .delayCall('release', { process: 'recover-app3', attempt: 3, extraMs: 300 })
      .delayCall('read', { order: 'o2', extraMs: 5 })
      .delayReply('confirm', { order: 'o1', attempt: 2, extraMs: 40 })
      .delayReplica('replica2', { entry: 4, extraMs: 700 })
      .paymentFail({ order: 'o2', attempt: 2 })
      .pause('app2', { onDelivery: { order: 'o1', call: 'reserve', reply: true }, durationMs: 70 })
      .strategy('reservation', { leaseTicks: 40, timeoutMs: 500 })
      .limits({ maxEvents: 10_000, maxTimeMs: 60_000 })
      .expect('none');
    const file: ScenarioInput = {
      name: 'everything',
      description: 'every method once',
      seed: 7,
      items: [{ id: 'vase', stock: 10 }, { id: 'lamp', stock: 2 }],
      topology: { appServers: 3, replicas: [{ lagMsMin: 10, lagMsMax: 20 }, {}], readFrom: 'primary', dbTickMs: 50 },
      network: { delayMsMin: 5, delayMsMax: 10, dropRequestPerMille: 1, dropReplyPerMille: 2, duplicatePerMille: 3,
        links: [{ from: 'app1', to: 'db', delayMsMin: 1, delayMsMax: 2 }] },
      payment: { delayMsMin: 1, delayMsMax: 3, failPerMille: 100 },
      workload: { orders: [{ atMs: 0, app: 'app1', item: 'vase', qty: 2 }, { app: 'app2', lines: [{ item: 'vase' }, { item: 'lamp', qty: 1 }] }] },
      faults: {
        untilMs: 5000,
        randomPauses: { perMille: 5, durationMsMin: 1, durationMsMax: 100, nodes: ['app1'] },
        clockSkew: { offsetMsMax: 10, driftPpmMax: 100 },
        steps: [
          { kind: 'pause', node: 'app1', atMs: 10, durationMs: 100 },
          { kind: 'crash', node: 'app2', atMs: 20, restartAtMs: 200 },
          { kind: 'crash', node: 'app3', atMs: 30 },
          { kind: 'partition', a: ['app1'], b: ['db', 'lock'], atMs: 300, healAtMs: 400, direction: 'a-to-b' },
          { kind: 'clock', node: 'app3', offsetMs: -500, driftPpm: 200 },
          { kind: 'drop-request', call: 'reserve', order: 'o1' },
          { kind: 'drop-reply', call: 'confirm', order: 'o1', attempt: 1 },
          { kind: 'duplicate-request', call: 'charge', order: 'o2', attempt: 2, copyExtraMs: 30, copyReplyExtraMs: 60 },
          { kind: 'delay-call', call: 'release', process: 'recover-app3', attempt: 3, extraMs: 300 },
          { kind: 'delay-call', call: 'read', order: 'o2', extraMs: 5 },
          { kind: 'delay-reply', call: 'confirm', order: 'o1', attempt: 2, extraMs: 40 },
          { kind: 'delay-replica', replica: 'replica2', entry: 4, extraMs: 700 },
          { kind: 'payment-fail', order: 'o2', attempt: 2 },
          { kind: 'pause', node: 'app2', onDelivery: { order: 'o1', call: 'reserve', reply: true }, durationMs: 70 },
        ],
      },
      strategy: { name: 'reservation', options: { leaseTicks: 40, timeoutMs: 500 } },
      limits: { maxEvents: 10_000, maxTimeMs: 60_000 },
      expect: { violations: 'none' },
    };
    expect(b.toJSON()).toEqual(file);
    // "every step kind": a kind added to the language must be added here (and to the builder).
    expect(new Set(file.faults!.steps!.map((st) => st.kind))).toEqual(new Set(faultStepSchema.options.map((o) => o.shape.kind.value)));
    const parsed = parseScenario(JSON.stringify(file), 'everything.json');
    expect(parsed.ok && parsed.scenario).toEqual(b.build());
    expect(JSON.parse(b.toText())).toEqual(file);
  });

  it('states only what was given: the smallest scenario is just its items', () => {
    expect(scenario().items({ vase: 10 }).toJSON()).toEqual({ items: [{ id: 'vase', stock: 10 }] });
    const s = scenario().items({ vase: 10 }).build();
    expect(s.name).toBe('scenario');
    expect(s.strategy.name).toBe('naive');
    expect(s.topology.appServers).toBe(3);
  });

  it('is immutable: variations of one base do not leak into each other', () => {
    const lease = gcPause.strategy('lock-lease', { leaseTicks: 20 });
    const fencing = gcPause.strategy('lock-fencing', { leaseTicks: 20 }).expect('none');
    expect(lease.build().strategy.name).toBe('lock-lease');
    expect(fencing.build().strategy.name).toBe('lock-fencing');
    expect(gcPause.toJSON().faults?.steps).toHaveLength(1);
    gcPause.pause('app2', { atMs: 1, durationMs: 1 });
    expect(gcPause.toJSON().faults?.steps).toHaveLength(1);
    const json = gcPause.toJSON();
    json.items[0].stock = 99;
    expect(gcPause.toJSON().items[0].stock).toBe(1);
  });

  it('built scenarios run: the docs example breaks with lock-lease and holds with lock-fencing', () => {
    const broken = runOnce(gcPause.strategy('lock-lease', { leaseTicks: 20 }).build()).violations.map((v) => v.invariant);
    expect(broken).toEqual(expect.arrayContaining(['no-oversell', 'unique-units']));
    expect(runOnce(gcPause.strategy('lock-fencing', { leaseTicks: 20 }).build()).violations).toEqual([]);
  });
});

describe('scenario() builder refuses what the loader refuses, with the loader\'s message', () => {
  it('a node that does not exist (the docs example)', () => {
    const e = thrown(() => gcPause.name('gc-pause').pause('app9', { atMs: 0, durationMs: 1 }).build());
    expect(e.message).toBe('scenario("gc-pause"): $.faults.steps[1].node: expected a node of this topology ("app1", "app2", "db", "payment", "lock"), found "app9" — topology.appServers is 2');
    expect(e.problems).toHaveLength(1);
    expect(e.problems[0].path).toBe('$.faults.steps[1].node');
  });

  it.each([
    ['an inverted window', scenario('w').items({ vase: 1 }).partition(['app1'], ['db'], { atMs: 10, healAtMs: 5 }), '$.faults.steps[0].healAtMs: expected a time after atMs (10), found 5'],
    ['a negative stock', scenario('n').items({ vase: -1 }), '$.items[0].stock: expected an integer from 0 to 100000, found -1'],
    ['a fractional count', scenario('f').items({ vase: 1 }).appServers(2.5), '$.topology.appServers: expected an integer from 1 to 64, found 2.5'],
    ['an unknown item', scenario('i').items({ vase: 1 }).order({ app: 'app1', item: 'lamp' }), '$.workload.orders[0].item: expected an item id from items ("vase"), found "lamp"'],
    ['orders and generate together', scenario('g').items({ vase: 1 }).order({ app: 'app1', item: 'vase' }).generate(), '$.workload.generate: expected either "orders" or "generate", not both'],
    ['overlapping pauses', scenario('p').items({ vase: 1 }).pause('app1', { atMs: 0, durationMs: 100 }).pause('app1', { atMs: 50, durationMs: 10 }),
      '$.faults.steps[1]: expected no overlap with $.faults.steps[0]'],
    ['a delay of 1e300', scenario('d').items({ vase: 1 }).network({ delayMsMax: 1e300 }), '$.network.delayMsMax: expected an integer from 0 to 86400000, found 1e+300'],
    ['a prototype option', scenario('o').items({ vase: 1 }).strategy('naive', JSON.parse('{"__proto__": 1}') as Record<string, number>),
      '$.strategy.options: expected an option name, found key "__proto__"'],
  ])('%s', (_name, builder, message) => {
    const e = thrown(() => builder.build());
    expect(e.message).toContain(message);
    expect(e.message).toBe(loaderMessage(builder.toJSON(), `scenario(${JSON.stringify(builder.toJSON().name)})`));
    expect(e.message).not.toMatch(/\n\s+at /);
  });

  it('a typo from untyped code gets the did-you-mean', () => {
    const e = thrown(() => scenario('t').items({ vase: 1 }).network({ dealyMs: 5 } as never).build());
    expect(e.message).toBe('scenario("t"): $.network: expected one of the keys "delayMsMin", "delayMsMax", "dropRequestPerMille", "dropReplyPerMille", "duplicatePerMille", "reorderPerMille", ..., found unknown key "dealyMs" — did you mean "delayMsMin"?');
  });

  it('values JSON cannot hold are refused, not thrown raw', () => {
    const e = thrown(() => scenario().items({ vase: 1n as unknown as number }).build());
    expect(e.message).toMatch(/^scenario\(\): expected values JSON can hold .*BigInt/);
  });

  it('several problems: one line each', () => {
    const e = thrown(() => scenario('m').items({ vase: -1 }).appServers(0).build());
    expect(e.message.split('\n')).toEqual([
      'scenario("m"): $.items[0].stock: expected an integer from 0 to 100000, found -1',
      'scenario("m"): $.topology.appServers: expected an integer from 1 to 64, found 0',
    ]);
  });
});
