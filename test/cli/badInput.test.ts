// Hostile or careless scenario files at the command line, as a user meets them: every one
// exits 2 with one clear line per problem on stderr, nothing on stdout, and no stack trace.
// The CLI runs in-process (main(argv, io)); test/cli/process.slow.test.ts checks that a real
// process prints the same and exits 2. (test/scenario/badInput.test.ts covers the loader's
// messages in depth.)
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'oversold-bad-'));
const ITEMS = [{ id: 'vase', stock: 10 }];

function file(name: string, text: string): string {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
}

const json = (value: unknown) => JSON.stringify(value);
const step = (s: Record<string, unknown>) => json({ items: ITEMS, faults: { steps: [s] } });

/** No V8 stack frames, no "Error:" class prefixes, nothing from node internals. */
function expectNoStack(stderr: string): void {
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr).not.toMatch(/\(node:internal|file:\/\/|\.js:\d+:\d+\)/);
  expect(stderr).not.toMatch(/^(Type|Range|Syntax)?Error\b/m);
}

function lines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l !== '');
}

// [name, file name, content, the key part of the message]
const CASES: Array<[string, string, string | (() => string), string]> = [
  ['an empty file', 'empty.json', '', ':1:1: expected a JSON object, found an empty file'],
  ['a file that is not JSON', 'text.json', 'vases: 10\n', ':1:1: expected a JSON value, found vases'],
  ['a JSON syntax error, with line and column', 'comma.json', '{\n  "items": [{"id": "vase", "stock": 10},]\n}\n',
    ':2:41: expected a value, found "]" — JSON does not allow a comma before "]"'],
  ['JSON that is an array', 'array.json', '[{"id": "vase", "stock": 10}]', '$: expected a JSON object (the scenario), found an array of 1 entry'],
  ['JSON that is a number', 'number.json', '42', '$: expected a JSON object (the scenario), found 42'],
  ['JSON that is null', 'null.json', 'null', '$: expected a JSON object (the scenario), found null'],
  ['a quoted number', 'quoted.json', json({ items: [{ id: 'vase', stock: '10' }] }),
    '$.items[0].stock: expected an integer from 0 to 100000, found "10" — remove the quotes'],
  ['a section of the wrong type', 'section.json', json({ items: ITEMS, network: 'fast' }), '$.network: expected an object, found "fast"'],
  ['items as an object', 'itemsobj.json', json({ items: { vase: 10 } }), '$.items: expected an array of 1 to 100 entries, found an object'],
  ['a negative stock', 'negative.json', json({ items: [{ id: 'vase', stock: -1 }] }), '$.items[0].stock: expected an integer from 0 to 100000, found -1'],
  ['a negative order count', 'negcount.json', json({ items: ITEMS, workload: { generate: { count: -3 } } }),
    '$.workload.generate.count: expected an integer from 0 to 10000, found -3'],
  ['a fractional count', 'fraction.json', json({ items: ITEMS, topology: { appServers: 2.5 } }),
    '$.topology.appServers: expected an integer from 1 to 64, found 2.5 — all times, counts and rates are whole numbers'],
  ['a fractional quantity', 'fracqty.json', json({ items: ITEMS, workload: { orders: [{ app: 'app1', item: 'vase', qty: 0.5 }] } }),
    '$.workload.orders[0].qty: expected an integer from 1 to 100000, found 0.5'],
  ['a billion orders', 'billion.json', json({ items: ITEMS, workload: { generate: { count: 1e9 } } }),
    '$.workload.generate.count: expected an integer from 0 to 10000, found 1000000000'],
  ['a billion app servers', 'servers.json', json({ items: ITEMS, topology: { appServers: 1e9 } }),
    '$.topology.appServers: expected an integer from 1 to 64, found 1000000000'],
  ['a delay of 1e300', 'delay.json', json({ items: ITEMS, network: { delayMsMax: 1e300 } }),
    '$.network.delayMsMax: expected an integer from 0 to 86400000, found 1e+300'],
  ['a pause of 1e300 ms', 'pause.json', step({ kind: 'pause', node: 'app1', atMs: 0, durationMs: 1e300 }),
    '$.faults.steps[0].durationMs: expected an integer from 1 to 86400000, found 1e+300'],
  ['a number too large for a double', 'e400.json', '{"items":[{"id":"vase","stock":1e400}]}',
    '$.items[0].stock: expected an integer from 0 to 100000, found a number too large to represent'],
  ['a fault on a node that does not exist', 'node.json', step({ kind: 'pause', node: 'app9', atMs: 0, durationMs: 5 }),
    '$.faults.steps[0].node: expected a node of this topology ("app1", "app2", "app3", "db", "payment", "lock"), found "app9" — topology.appServers is 3'],
  ['a replica that does not exist', 'replica.json', step({ kind: 'crash', node: 'replica1', atMs: 0 }),
    'found "replica1" — topology.replicas has 0 entries'],
  ['an order at an app server that does not exist', 'app.json', json({ items: ITEMS, workload: { orders: [{ app: 'app4', item: 'vase' }] } }),
    '$.workload.orders[0].app: expected an app server ("app1".."app3"), found "app4" — topology.appServers is 3'],
  ['an order for an item that does not exist', 'item.json', json({ items: ITEMS, workload: { orders: [{ app: 'app1', item: 'vaes' }] } }),
    '$.workload.orders[0].item: expected an item id from items ("vase"), found "vaes" — did you mean "vase"?'],
  ['a partition naming an unknown node', 'partnode.json', step({ kind: 'partition', a: ['app1'], b: ['dbb'], atMs: 0, healAtMs: 5 }),
    '$.faults.steps[0].b[0]: expected a node of this topology'],
  ['an inverted partition window', 'inverted.json', step({ kind: 'partition', a: ['app1'], b: ['db'], atMs: 10, healAtMs: 5 }),
    '$.faults.steps[0].healAtMs: expected a time after atMs (10), found 5'],
  ['a restart before the crash', 'restart.json', step({ kind: 'crash', node: 'app1', atMs: 10, restartAtMs: 3 }),
    '$.faults.steps[0].restartAtMs: expected a time after atMs (10), found 3'],
  ['an inverted delay range', 'range.json', json({ items: ITEMS, network: { delayMsMin: 300, delayMsMax: 100 } }),
    '$.network.delayMsMin: expected delayMsMin <= delayMsMax (100), found 300'],
  ['overlapping pauses of one node', 'overlap.json', json({ items: ITEMS, faults: { steps: [
    { kind: 'pause', node: 'app1', atMs: 0, durationMs: 100 }, { kind: 'pause', node: 'app1', atMs: 50, durationMs: 10 }] } }),
    '$.faults.steps[1]: expected no overlap with $.faults.steps[0] (pause of app1 from 0 to 100 ms), found pause of app1 from 50 to 60 ms'],
  ['overlapping partitions of one link', 'overlapcut.json', json({ items: ITEMS, faults: { steps: [
    { kind: 'partition', a: ['app1'], b: ['db'], atMs: 0, healAtMs: 100 }, { kind: 'partition', a: ['db'], b: ['app1'], atMs: 50, healAtMs: 150 }] } }),
    '$.faults.steps[1]: expected no overlap with $.faults.steps[0] (partition from 0 to 100 ms)'],
  ['a "__proto__" key', 'proto.json', '{"items":[{"id":"vase","stock":10}],"__proto__":{"polluted":1}}',
    '$: expected one of the keys "$schema", "name", "description", "seed", "items", "topology", ..., found unknown key "__proto__" — "__proto__" is never a valid key'],
  ['a "constructor" key', 'ctor.json', '{"items":[{"id":"vase","stock":10}],"constructor":{"prototype":{"polluted":1}}}',
    'found unknown key "constructor" — "constructor" is never a valid key'],
  ['a "__proto__" strategy option', 'protoopt.json', '{"items":[{"id":"vase","stock":10}],"strategy":{"options":{"__proto__":{"polluted":1}}}}',
    '$.strategy.options: expected an option name, found key "__proto__"'],
  ['100000 nested arrays', 'deep.json', () => `[${'['.repeat(100_000)}${']'.repeat(100_000)}]`,
    'expected at most 64 levels of nesting, found arrays or objects nested too deeply'],
  ['deeply nested junk inside a field', 'deepfield.json', () => `{"items": [{"id": "vase", "stock": 1}], "network": ${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}`,
    'expected at most 64 levels of nesting, found arrays or objects nested too deeply'],
  ['a 10 MB file', 'huge.json', () => json({ items: ITEMS, description: 'x'.repeat(10 * 1024 * 1024) }),
    'expected a file of at most 1 MiB (1048576 bytes), found 10485813 bytes — scenario files are small'],
];

describe.concurrent.each(CASES)('bad input: %s', (_name, name, content, message) => {
  const path = file(name, typeof content === 'function' ? content() : content);

  it('oversold run: exit 2, exactly one line on stderr naming the file and the problem', async ({ expect }) => {
    const r = await cli(['run', path]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr), r.stderr).toHaveLength(1);
    expect(r.stderr).toContain(path);
    expect(r.stderr).toContain(message);
    expectNoStack(r.stderr);
  });

  it('oversold validate: exit 2, one line per problem', async ({ expect }) => {
    const r = await cli(['validate', path]);
    expect(r.code, r.stderr).toBe(2);
    expect(lines(r.stderr), r.stderr).toHaveLength(1);
    expect(lines(r.stderr)[0].startsWith(path)).toBe(true);
    expect(r.stderr).toContain(message);
    expectNoStack(r.stderr);
  });
});

describe('bad input: several problems and several files', () => {
  it('validate prints one line per problem, in file order, and exits 2', async () => {
    const path = file('many.json', json({ items: [{ id: 'vase', stock: -1 }], topology: { appServers: 0 }, network: { dealyMs: 5 } }));
    const r = await cli(['validate', path]);
    expect(r.code).toBe(2);
    const out = lines(r.stderr);
    expect(out).toHaveLength(3);
    expect(out[0]).toContain('$.items[0].stock: expected an integer from 0 to 100000, found -1');
    expect(out[1]).toContain('$.topology.appServers: expected an integer from 1 to 64, found 0');
    expect(out[2]).toContain('found unknown key "dealyMs" — did you mean "delayMsMin"?');
    for (const l of out) expect(l.startsWith(path)).toBe(true);
    expectNoStack(r.stderr);
  });

  it('validate checks every file: the good ones pass silently, the bad ones are named, exit 2', async () => {
    const bad1 = file('bad1.json', '');
    const bad2 = file('bad2.json', json({ items: [{ id: 'vase', stock: 1.5 }] }));
    const r = await cli(['validate', 'scenarios/seed-demo.json', bad1, 'scenarios/flash-sale.json', bad2]);
    expect(r.code).toBe(2);
    const out = lines(r.stderr);
    expect(out).toHaveLength(2);
    expect(out[0].startsWith(bad1)).toBe(true);
    expect(out[1].startsWith(bad2)).toBe(true);
    expect(r.stderr).not.toContain('seed-demo');
  });

  it('a file that does not exist, and a directory, exit 2 with one line', async () => {
    for (const path of [join(tmp, 'missing.json'), tmp]) {
      for (const cmd of ['run', 'validate']) {
        const r = await cli([cmd, path]);
        expect(r.code, `${cmd} ${path}: ${r.stderr}`).toBe(2);
        expect(lines(r.stderr), r.stderr).toHaveLength(1);
        expect(r.stderr).toContain(path);
        expectNoStack(r.stderr);
      }
    }
  });

  it('sweep refuses a bad file the same way as run', async () => {
    const path = file('sweepbad.json', step({ kind: 'partition', a: ['app1'], b: ['db'], atMs: 10, healAtMs: 5 }));
    const r = await cli(['sweep', path, '--seeds', '3']);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain('$.faults.steps[0].healAtMs: expected a time after atMs (10), found 5');
    expectNoStack(r.stderr);
  });
});
