// Whatever a file contains, the loader answers: a scenario, or one-line problems. Never a throw.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatProblem, parseScenario, type ScenarioInput } from '../../src/scenario/index.js';
import { expectWellFormed } from './helpers.js';

const NUM_RUNS = Number(process.env.OVERSOLD_FC_RUNS ?? 200);
const FILE = 'scenarios/prop.json';

// A scenario that uses every section, so mutations reach every part of the schema.
const RICH: ScenarioInput = {
  $schema: './schema/scenario.schema.json',
  name: 'rich',
  description: 'every section',
  seed: 7,
  items: [{ id: 'vase', stock: 10 }, { id: 'lamp', stock: 2 }],
  topology: { appServers: 2, replicas: [{ lagMsMin: 0, lagMsMax: 300 }], readFrom: 'replicas', dbTickMs: 50 },
  network: {
    delayMsMin: 10, delayMsMax: 20, dropRequestPerMille: 5, dropReplyPerMille: 5, duplicatePerMille: 1,
    links: [{ from: 'app1', to: 'db', delayMsMin: 1, delayMsMax: 400 }],
  },
  payment: { delayMsMin: 1, delayMsMax: 2, failPerMille: 100 },
  workload: { orders: [
    { atMs: 0, app: 'app1', item: 'vase', qty: 2 },
    { atMs: 5, app: 'app2', lines: [{ item: 'vase' }, { item: 'lamp', qty: 1 }] },
  ] },
  faults: {
    untilMs: 5000,
    randomPauses: { perMille: 10, durationMsMin: 1, durationMsMax: 900, nodes: ['app1', 'db'] },
    clockSkew: { offsetMsMax: 100, driftPpmMax: 50 },
    steps: [
      { kind: 'pause', node: 'app1', atMs: 10, durationMs: 1200 },
      { kind: 'crash', node: 'replica1', atMs: 5, restartAtMs: 50 },
      { kind: 'partition', a: ['app2'], b: ['db', 'lock'], atMs: 0, healAtMs: 100, direction: 'a-to-b' },
      { kind: 'clock', node: 'app2', offsetMs: -30, driftPpm: 200 },
      { kind: 'drop-request', call: 'reserve', order: 'o1', attempt: 2 },
      { kind: 'drop-reply', call: 'decrement', order: 'o2' },
      { kind: 'duplicate-request', call: 'charge', process: 'recover-app1' },
      { kind: 'delay-call', call: 'lock', order: 'o1', attempt: 1, extraMs: 500 },
      { kind: 'payment-fail', order: 'o2', attempt: 1 },
      { kind: 'pause', node: 'app2', onDelivery: { process: 'recover-app2#2', call: 'release', attempt: 3, reply: true, copy: 1 }, durationMs: 5 },
    ],
  },
  strategy: { name: './strategies/lease.ts', options: { leaseTicks: 5, fenced: true, mode: 'strict' } },
  limits: { maxEvents: 1000, maxTimeMs: 60_000 },
  expect: { violations: ['no-oversell', 'unique-units'] },
};

type Json = unknown;
type Container = Record<string, Json> | Json[];

function containers(value: Json, out: Container[] = []): Container[] {
  if (typeof value === 'object' && value !== null) {
    out.push(value as Container);
    for (const child of Object.values(value)) containers(child, out);
  }
  return out;
}

const KEYS = ['__proto__', 'constructor', 'prototype', 'kind', 'atMs', 'node', 'items', 'orders', 'generate', 'nth', 'a', 'b'];

const mutationArb = fc.record({
  pick: fc.nat(),
  slot: fc.nat(),
  op: fc.constantFrom('drop', 'set', 'add'),
  value: fc.jsonValue({ maxDepth: 3 }),
  key: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(...KEYS)),
});

type Mutation = typeof mutationArb extends fc.Arbitrary<infer M> ? M : never;

/** Drops a key, replaces a value, or adds a key (possibly "__proto__", as JSON.parse would) at a random depth. */
function mutate(root: Json, m: Mutation): Json {
  const all = containers(root);
  const target = all[m.pick % all.length];
  const keys = Object.keys(target);
  const key = keys.length > 0 ? keys[m.slot % keys.length] : undefined;
  if (Array.isArray(target)) {
    if (m.op === 'drop' && target.length > 0) target.splice(m.slot % target.length, 1);
    else if (m.op === 'set' && target.length > 0) target[m.slot % target.length] = m.value;
    else target.push(m.value);
  } else if (m.op === 'drop' && key !== undefined) {
    delete target[key];
  } else {
    const name = m.op === 'set' && key !== undefined ? key : m.key;
    Object.defineProperty(target, name, { value: m.value, enumerable: true, writable: true, configurable: true });
  }
  return root;
}

function checkAnswer(text: string): void {
  const result = parseScenario(text, FILE);
  if (result.ok) {
    // The resolved form is itself a valid file that resolves to itself.
    const again = parseScenario(JSON.stringify(result.scenario), FILE);
    expect(again).toEqual(result);
    return;
  }
  expect(result.problems.length).toBeGreaterThan(0);
  for (const problem of result.problems) {
    const line = formatProblem(problem);
    expectWellFormed(line, FILE);
    expect(line, 'the last-resort catch in parseScenario fired: a loader bug').not.toContain('internal error');
  }
}

describe('parseScenario on arbitrary input', () => {
  it('the rich scenario is valid', () => {
    const result = parseScenario(JSON.stringify(RICH), FILE);
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([]);
  });

  it('answers any JSON value without throwing', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => checkAnswer(JSON.stringify(value) ?? 'null')), { numRuns: NUM_RUNS });
  });

  it('answers any object with scenario-like keys', () => {
    const section = fc.dictionary(fc.constantFrom(...Object.keys(RICH), ...KEYS), fc.jsonValue({ maxDepth: 3 }));
    fc.assert(fc.property(section, (value) => checkAnswer(JSON.stringify(value))), { numRuns: NUM_RUNS });
  });

  it('answers mutations of a valid scenario at any depth', () => {
    fc.assert(fc.property(fc.array(mutationArb, { minLength: 1, maxLength: 4 }), (mutations) => {
      let value: Json = JSON.parse(JSON.stringify(RICH));
      for (const m of mutations) value = mutate(value, m);
      checkAnswer(JSON.stringify(value));
    }), { numRuns: NUM_RUNS });
  });

  it('answers text with characters inserted, deleted or replaced', () => {
    const base = JSON.stringify(RICH, null, 2);
    const edit = fc.record({ at: fc.nat({ max: base.length }), cut: fc.nat({ max: 3 }), insert: fc.string({ maxLength: 3 }) });
    fc.assert(fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
      let text = base;
      for (const e of edits) text = text.slice(0, e.at) + e.insert + text.slice(e.at + e.cut);
      checkAnswer(text);
    }), { numRuns: NUM_RUNS });
  });

  it('never pollutes Object.prototype', () => {
    expect(Object.keys(Object.prototype)).toEqual([]);
  });
});
