import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatProblem, loadScenarioFile, parseScenario, scenarioSchema, type Scenario } from '../../src/scenario/index.js';
import { MINIMAL, parseOk } from './helpers.js';

// The documented defaults (docs/scenarios.md, reference), written out in full on purpose:
// changing a default must change this test and the docs together.
const MINIMAL_RESOLVED: Scenario = {
  name: 'flash',
  description: '',
  seed: 1,
  items: [{ id: 'vase', stock: 10 }],
  topology: { appServers: 3, replicas: [], readFrom: 'primary', dbTickMs: 100 },
  network: { delayMsMin: 50, delayMsMax: 200, dropRequestPerMille: 0, dropReplyPerMille: 0, duplicatePerMille: 0, reorderPerMille: 1000, links: [] },
  payment: { delayMsMin: 20, delayMsMax: 100, failPerMille: 0 },
  workload: { generate: { count: 15, windowMs: 0, item: 'vase', qty: 1, apps: ['app1', 'app2', 'app3'] } },
  faults: {
    untilMs: null,
    randomPauses: { perMille: 0, durationMsMin: 0, durationMsMax: 0, nodes: [] },
    clockSkew: { offsetMsMax: 0, driftPpmMax: 0 },
    steps: [],
  },
  strategy: { name: 'naive', options: {} },
  limits: { maxEvents: 200_000, maxTimeMs: 600_000 },
  timing: 'sampled',
  expect: null,
};

describe('scenario defaults', () => {
  it('a file with only items resolves to the documented defaults', () => {
    const result = parseScenario('{"items":[{"id":"vase","stock":10}]}', 'scenarios/flash.json');
    expect(result).toEqual({ ok: true, scenario: MINIMAL_RESOLVED });
  });

  it('lists resolved keys in the documented order', () => {
    expect(Object.keys(parseOk(MINIMAL, 'flash.json'))).toEqual(Object.keys(MINIMAL_RESOLVED));
  });

  it('names the scenario after the file, without .json and without directories', () => {
    expect(parseOk(MINIMAL, 'a/b/flash-sale.json').name).toBe('flash-sale');
    expect(parseOk(MINIMAL, 'C:\\x\\Sale.JSON').name).toBe('Sale');
    expect(parseOk(MINIMAL, 'noext').name).toBe('noext');
    expect(parseOk({ ...MINIMAL, name: 'given' }, 'flash.json').name).toBe('given');
  });

  it('falls back to "scenario" when parsed without a file (schema alone)', () => {
    expect(scenarioSchema.parse(MINIMAL).name).toBe('scenario');
  });

  it('reads from replicas by default when there are replicas', () => {
    const s = parseOk({ ...MINIMAL, topology: { replicas: [{}] } });
    expect(s.topology.readFrom).toBe('replicas');
    expect(s.topology.replicas).toEqual([{ lagMsMin: 50, lagMsMax: 200 }]);
    expect(parseOk({ ...MINIMAL, topology: { replicas: [{}], readFrom: 'primary' } }).topology.readFrom).toBe('primary');
  });

  it('generates 1.5 x stock orders of the first item, round-robin over every app server', () => {
    const s = parseOk({ items: [{ id: 'lamp', stock: 7 }, { id: 'vase', stock: 10 }], topology: { appServers: 2 } });
    expect(s.workload).toEqual({ generate: { count: 11, windowMs: 0, item: 'lamp', qty: 1, apps: ['app1', 'app2'] } });
    const vase = parseOk({ items: [{ id: 'lamp', stock: 7 }, { id: 'vase', stock: 10 }], workload: { generate: { item: 'vase' } } });
    expect('generate' in vase.workload && vase.workload.generate.count).toBe(15);
    const huge = parseOk({ items: [{ id: 'vase', stock: 100_000 }] });
    expect('generate' in huge.workload && huge.workload.generate.count).toBe(10_000);
  });

  it('resolves single-item orders to lines, with atMs 0 and qty 1 by default', () => {
    const s = parseOk({
      items: [{ id: 'vase', stock: 10 }, { id: 'lamp', stock: 1 }],
      workload: { orders: [
        { app: 'app1', item: 'vase' },
        { atMs: 5, app: 'app2', item: 'lamp', qty: 1 },
        { app: 'app3', lines: [{ item: 'vase', qty: 2 }, { item: 'lamp' }] },
      ] },
    });
    expect(s.workload).toEqual({ orders: [
      { atMs: 0, app: 'app1', lines: [{ item: 'vase', qty: 1 }] },
      { atMs: 5, app: 'app2', lines: [{ item: 'lamp', qty: 1 }] },
      { atMs: 0, app: 'app3', lines: [{ item: 'vase', qty: 2 }, { item: 'lamp', qty: 1 }] },
    ] });
  });

  it('fills fault step defaults', () => {
    const s = parseOk({ ...MINIMAL, faults: { steps: [
      { kind: 'crash', node: 'db', atMs: 10 },
      { kind: 'partition', a: ['app1'], b: ['db'], atMs: 0, healAtMs: 100 },
      { kind: 'clock', node: 'app2', driftPpm: 500 },
      { kind: 'drop-reply', call: 'decrement', order: 'o2' },
      { kind: 'payment-fail', process: 'recover-app1' },
      { kind: 'pause', node: 'app1', onDelivery: { order: 'o1', call: 'read' }, durationMs: 9 },
    ] } });
    expect(s.faults.steps).toEqual([
      { kind: 'crash', node: 'db', atMs: 10, restartAtMs: null },
      { kind: 'partition', a: ['app1'], b: ['db'], atMs: 0, healAtMs: 100, direction: 'both' },
      { kind: 'clock', node: 'app2', offsetMs: 0, driftPpm: 500 },
      { kind: 'drop-reply', call: 'decrement', order: 'o2', attempt: 1, copy: 0 },
      { kind: 'payment-fail', process: 'recover-app1', attempt: 1, copy: 0 },
      { kind: 'pause', node: 'app1', onDelivery: { order: 'o1', call: 'read', attempt: 1, reply: false, copy: 0 }, durationMs: 9 },
    ]);
  });

  it('accepts "$schema" for editors and leaves it out of the resolved scenario', () => {
    const s = parseOk({ $schema: './schema/scenario.schema.json', ...MINIMAL });
    expect(s).not.toHaveProperty('$schema');
  });

  it('accepts every committed scenario in scenarios/', () => {
    const files = readdirSync('scenarios').filter((f) => f.endsWith('.json')).map((f) => `scenarios/${f}`);
    for (const file of files) {
      const result = loadScenarioFile(file);
      expect(result.ok ? [] : result.problems.map(formatProblem), file).toEqual([]);
    }
  });
});
