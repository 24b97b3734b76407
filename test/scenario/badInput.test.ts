// Hostile and mistaken files: each must come back as ok:false with one-line problems that
// name the place and the fix, never a throw or a stack trace.
import { describe, expect, it } from 'vitest';
import { formatProblem, LIMITS, parseScenario } from '../../src/scenario/index.js';
import { MINIMAL, problemLines, problemsOf, withScenario } from './helpers.js';

function joined(text: string): string {
  return problemLines(text).join('\n');
}

describe('not a JSON object', () => {
  it.each([
    ['an empty file', '', 'x.json:1:1: expected a JSON object, found an empty file'],
    ['only whitespace', ' \n\t ', 'found an empty file'],
    ['plain text', 'hello', 'x.json:1:1: expected a JSON value, found hello'],
    ['an array', '[1, 2]', '$: expected a JSON object (the scenario), found an array of 2 entries'],
    ['a number', '42', '$: expected a JSON object (the scenario), found 42'],
    ['null', 'null', '$: expected a JSON object (the scenario), found null'],
    ['a string', '"items"', '$: expected a JSON object (the scenario), found "items"'],
    ['two values', '{} {}', 'x.json:1:4: expected the end of the file, found "{"'],
  ])('%s', (_name, text, message) => {
    expect(joined(text)).toContain(message);
  });
});

describe('JSON syntax errors give line and column', () => {
  it('a trailing comma', () => {
    const text = '{\n  "items": [\n    {"id": "vase", "stock": 10},\n  ]\n}';
    expect(joined(text)).toBe('scenarios/x.json:4:3: expected a value, found "]" — JSON does not allow a comma before "]"');
  });
  it.each([
    ['a comment', '{\n  // the sale\n  "items": []\n}', 'x.json:2:3: expected a double-quoted key, found "/" — JSON has no comments'],
    ['single quotes', "{'items': []}", 'x.json:1:2: expected a double-quoted key, found "\'" — JSON strings and keys use double quotes'],
    ['an unquoted key', '{items: []}', 'x.json:1:2: expected a double-quoted key, found items — JSON keys need double quotes'],
    ['a missing comma', '{"seed": 1\n "items": []}', 'x.json:2:2: expected "," or "}", found "\\"" — a "," may be missing'],
    ['an unclosed brace', '{"items": [', 'x.json:1:12: expected a JSON value, found the end of the file — a "[" is never closed'],
    ['NaN', '{"seed": NaN}', 'x.json:1:10: expected a JSON value, found NaN — JSON has no NaN, Infinity or undefined'],
    ['a leading zero', '{"seed": 01}', 'x.json:1:10: expected a JSON number, found "01}"'],
    ['a raw newline in a string', '{"name": "a\nb"}', 'x.json:1:12: expected a closing \'"\' or an escaped character, found a raw control character'],
    ['a bad escape', '{"name": "a\\qb"}', 'x.json:1:12: expected a valid escape'],
    ['an unterminated string', '{"name": "abc', 'x.json:1:10: expected a closing \'"\' for this string, found the end of the file'],
  ])('%s', (_name, text, message) => {
    expect(joined(text)).toContain(message);
  });
});

describe('wrong types', () => {
  it.each([
    ['a quoted number', { items: [{ id: 'vase', stock: '10' }] },
      '$.items[0].stock: expected an integer from 0 to 100000, found "10" — remove the quotes'],
    ['a fractional seed', { ...MINIMAL, seed: 1.5 }, '$.seed: expected an integer from 0 to 4294967295, found 1.5 — all times, counts and rates are whole numbers'],
    ['items as an object', { items: { vase: 10 } }, '$.items: expected an array of 1 to 100 entries, found an object with keys "vase"'],
    ['a section as a string', { ...MINIMAL, network: 'fast' }, '$.network: expected an object, found "fast"'],
    ['a number for an id', { items: [{ id: 7, stock: 1 }] }, '$.items[0].id: expected a non-empty string of at most 64 characters, found 7 — write it as a string: "7"'],
    ['a missing required field', { items: [{ id: 'vase' }] }, '$.items[0].stock: expected an integer from 0 to 100000, found nothing (the key is missing)'],
    ['no items at all', {}, '$.items: expected an array of 1 to 100 entries, found nothing (the key is missing)'],
    ['an unknown step kind', { ...MINIMAL, faults: { steps: [{ kind: 'pasue', node: 'app1' }] } },
      '$.faults.steps[0].kind: expected one of "pause", "crash", "partition"'],
    ['a step without a kind', { ...MINIMAL, faults: { steps: [{ node: 'app1' }] } }, '$.faults.steps[0].kind: expected one of "pause"'],
    ['a bad enum value', { ...MINIMAL, topology: { readFrom: 'replica' } },
      '$.topology.readFrom: expected one of "primary", "replicas", found "replica" — did you mean "replicas"?'],
    ['a bad expectation', { ...MINIMAL, expect: { violations: 'nnone' } },
      '$.expect.violations: expected one of "none", "any" or an array of 1 to 20 entries, found "nnone" — did you mean "none"?'],
    ['an unknown invariant', { ...MINIMAL, expect: { violations: ['no-oversel'] } },
      '$.expect.violations[0]: expected one of "no-oversell"'],
    ['a workload of the wrong type', { ...MINIMAL, workload: 5 }, '$.workload: expected an object, found 5'],
    ['a fractional strategy option', { ...MINIMAL, strategy: { options: { leaseTicks: 1.5 } } },
      '$.strategy.options.leaseTicks: expected an integer or a string of at most 1000 characters or true or false, found 1.5'],
    ['too many strategy options', { ...MINIMAL, strategy: { options: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`o${i}`, i])) } },
      '$.strategy.options: expected at most 100 options, found 101 options'],
    ['an id with "#"', { items: [{ id: 'vase#1', stock: 1 }] }, '$.items[0].id: expected a name of letters, digits'],
  ])('%s', (_name, value, message) => {
    expect(joined(JSON.stringify(value))).toContain(message);
  });
});

describe('out of range: negative, fractional and absurd numbers name the bound', () => {
  it.each([
    ['negative stock', { items: [{ id: 'vase', stock: -1 }] }, '$.items[0].stock: expected an integer from 0 to 100000, found -1'],
    ['zero app servers', { ...MINIMAL, topology: { appServers: 0 } }, '$.topology.appServers: expected an integer from 1 to 64, found 0'],
    ['fractional app servers', { ...MINIMAL, topology: { appServers: 2.5 } }, '$.topology.appServers: expected an integer from 1 to 64, found 2.5'],
    ['a negative count', { ...MINIMAL, workload: { generate: { count: -3 } } }, '$.workload.generate.count: expected an integer from 0 to 10000, found -3'],
    ['a billion generated orders', { ...MINIMAL, workload: { generate: { count: 1e9 } } },
      '$.workload.generate.count: expected an integer from 0 to 10000, found 1000000000'],
    ['a delay of 1e300', { ...MINIMAL, network: { delayMsMax: 1e300 } }, '$.network.delayMsMax: expected an integer from 0 to 86400000, found 1e+300'],
    ['a per-mille over 1000', { ...MINIMAL, network: { dropRequestPerMille: 1001 } }, '$.network.dropRequestPerMille: expected an integer from 0 to 1000, found 1001'],
    ['too many items', { items: Array.from({ length: 101 }, (_, i) => ({ id: `i${i}`, stock: 1 })) },
      '$.items: expected an array of 1 to 100 entries, found an array of 101 entries'],
    ['too many orders', { ...MINIMAL, workload: { orders: Array.from({ length: 10_001 }, () => ({ app: 'app1', item: 'vase' })) } },
      '$.workload.orders: expected an array of at most 10000 entries, found an array of 10001 entries'],
    ['an absurd seed', { ...MINIMAL, seed: 2 ** 32 }, '$.seed: expected an integer from 0 to 4294967295, found 4294967296'],
    ['drift beyond 1e6 ppm', { ...MINIMAL, faults: { steps: [{ kind: 'clock', node: 'app1', driftPpm: -1_000_001 }] } },
      '$.faults.steps[0].driftPpm: expected an integer from -1000000 to 1000000, found -1000001'],
  ])('%s', (_name, value, message) => {
    expect(joined(JSON.stringify(value))).toContain(message);
  });

  it('a number too large for a double (1e400)', () => {
    expect(joined('{"items":[{"id":"vase","stock":1e400}]}'))
      .toContain('$.items[0].stock: expected an integer from 0 to 100000, found a number too large to represent');
  });
});

describe('unknown keys get a did-you-mean', () => {
  it('a typo in a section', () => {
    expect(joined(withScenario({ network: { dealyMs: 5 } })))
      .toMatch(/^scenarios\/x\.json:1:\d+: \$\.network: expected one of the keys "delayMsMin", .*found unknown key "dealyMs" — did you mean "delayMsMin"\?$/);
  });
  it('a typo at the top level', () => {
    expect(joined(withScenario({ seeds: 3 }))).toContain('$: expected one of the keys "$schema"');
    expect(joined(withScenario({ seeds: 3 }))).toContain('found unknown key "seeds" — did you mean "seed"?');
  });
  it('a key that is nowhere close gets no guess', () => {
    expect(joined(withScenario({ zzzzzz: 1 }))).toMatch(/found unknown key "zzzzzz"$/);
  });
  it('orders and generate together', () => {
    expect(joined(withScenario({ workload: { orders: [], generate: {} } })))
      .toContain('$.workload.generate: expected either "orders" or "generate", not both, found both — remove one of them');
  });
  it('item and lines together in one order', () => {
    expect(joined(withScenario({ workload: { orders: [{ app: 'app1', item: 'vase', lines: [{ item: 'vase' }] }] } })))
      .toContain('$.workload.orders[0].lines: expected either "item" or "lines", not both');
  });
  it('an order without item or lines', () => {
    expect(joined(withScenario({ workload: { orders: [{ app: 'app1' }] } })))
      .toContain('$.workload.orders[0].item: expected an "item" (with an optional "qty") or a "lines" list, found neither');
  });
});

describe('references to nodes and items that do not exist', () => {
  it.each([
    ['an app server beyond appServers', { workload: { orders: [{ app: 'app4', item: 'vase' }] } },
      '$.workload.orders[0].app: expected an app server ("app1".."app3"), found "app4" — topology.appServers is 3'],
    ['a non-app node placing an order', { workload: { orders: [{ app: 'db', item: 'vase' }] } },
      '$.workload.orders[0].app: expected an app server ("app1".."app3"), found "db" — "db" is not an app server'],
    ['an unknown item in an order', { workload: { orders: [{ app: 'app1', item: 'vaes' }] } },
      '$.workload.orders[0].item: expected an item id from items ("vase"), found "vaes" — did you mean "vase"?'],
    ['an unknown item in a cart line', { workload: { orders: [{ app: 'app1', lines: [{ item: 'vase' }, { item: 'lamp' }] }] } },
      '$.workload.orders[0].lines[1].item: expected an item id from items ("vase"), found "lamp"'],
    ['the same item twice in one cart', { workload: { orders: [{ app: 'app1', lines: [{ item: 'vase' }, { item: 'vase' }] }] } },
      '$.workload.orders[0].lines[1]: expected each item per order once, found "vase" again (first at $.workload.orders[0].lines[0])'],
    ['a replica that does not exist', { faults: { steps: [{ kind: 'pause', node: 'replica1', atMs: 0, durationMs: 5 }] } },
      '$.faults.steps[0].node: expected a node of this topology ("app1", "app2", "app3", "db", "payment", "lock"), found "replica1" — topology.replicas has 0 entries'],
    ['a delay-replica step without replicas', { faults: { steps: [{ kind: 'delay-replica', replica: 'replica1', entry: 1, extraMs: 500 }] } },
      '$.faults.steps[0].replica: expected a replica, and topology.replicas is empty, found "replica1" — topology.replicas has 0 entries'],
    ['a delay-replica step naming a replica beyond topology.replicas', { topology: { replicas: [{ lagMsMin: 0, lagMsMax: 10 }] }, faults: { steps: [{ kind: 'delay-replica', replica: 'replica2', entry: 1, extraMs: 500 }] } },
      '$.faults.steps[0].replica: expected a replica ("replica1"), found "replica2" — topology.replicas has 1 entry'],
    ['a delay-replica step naming the primary', { topology: { replicas: [{ lagMsMin: 0, lagMsMax: 10 }] }, faults: { steps: [{ kind: 'delay-replica', replica: 'db', entry: 1, extraMs: 500 }] } },
      '$.faults.steps[0].replica: expected a replica ("replica1"), found "db" — "db" is not a replica'],
    ['the same log entry delayed twice', { topology: { replicas: [{ lagMsMin: 0, lagMsMax: 10 }] }, faults: { steps: [{ kind: 'delay-replica', replica: 'replica1', entry: 3, extraMs: 500 }, { kind: 'delay-replica', replica: 'replica1', entry: 3, extraMs: 90 }] } },
      '$.faults.steps[1]: expected each fault once, found the same delay-replica step as $.faults.steps[0]'],
    ['a misspelt node', { faults: { randomPauses: { nodes: ['paymnet'] } } },
      '$.faults.randomPauses.nodes[0]: expected a node of this topology', ],
    ['an unknown link end', { network: { links: [{ from: 'cache', to: 'db', delayMsMin: 1, delayMsMax: 2 }] } },
      '$.network.links[0].from: expected a node of this topology'],
    ['a link to itself', { network: { links: [{ from: 'db', to: 'db', delayMsMin: 1, delayMsMax: 2 }] } },
      '$.network.links[0].to: expected a node other than from, found "db"'],
    ['a generator app that does not exist', { workload: { generate: { apps: ['app1', 'app5'] } } },
      '$.workload.generate.apps[1]: expected an app server ("app1".."app3"), found "app5"'],
    ['a generator item that does not exist', { workload: { generate: { item: 'lamp' } } },
      '$.workload.generate.item: expected an item id from items ("vase"), found "lamp"'],
    ['a partition side naming an unknown node', { faults: { steps: [{ kind: 'partition', a: ['app1'], b: ['dbb'], atMs: 0, healAtMs: 5 }] } },
      '$.faults.steps[0].b[0]: expected a node of this topology ("app1", "app2", "app3", "db", "payment", "lock"), found "dbb" — did you mean "db"?'],
    ['reads from replicas without replicas', { topology: { readFrom: 'replicas' } },
      '$.topology.readFrom: expected "primary" when topology.replicas is empty, found "replicas"'],
    ['duplicate item ids', { items: [{ id: 'vase', stock: 1 }, { id: 'vase', stock: 2 }] },
      '$.items[1]: expected each item id once, found "vase" again (first at $.items[0])'],
  ])('%s', (_name, patch, message) => {
    expect(joined(withScenario(patch))).toContain(message);
  });
});

describe('inverted and overlapping windows', () => {
  const step = (s: Record<string, unknown>) => ({ faults: { steps: [s] } });
  it.each([
    ['a partition healing before it starts', step({ kind: 'partition', a: ['app1'], b: ['db'], atMs: 10, healAtMs: 5 }),
      '$.faults.steps[0].healAtMs: expected a time after atMs (10), found 5'],
    ['a partition healing as it starts', step({ kind: 'partition', a: ['app1'], b: ['db'], atMs: 10, healAtMs: 10 }),
      '$.faults.steps[0].healAtMs: expected a time after atMs (10), found 10'],
    ['a restart before the crash', step({ kind: 'crash', node: 'app1', atMs: 10, restartAtMs: 10 }),
      '$.faults.steps[0].restartAtMs: expected a time after atMs (10), found 10'],
    ['min above max (max defaulted)', { network: { delayMsMin: 300 } },
      '$.network.delayMsMin: expected delayMsMin <= delayMsMax (200), found 300 — a field you leave out keeps its default'],
    ['min above max on a link', { network: { links: [{ from: 'app1', to: 'db', delayMsMin: 9, delayMsMax: 1 }] } },
      '$.network.links[0].delayMsMin: expected delayMsMin <= delayMsMax (1), found 9'],
    ['replica lag inverted', { topology: { replicas: [{ lagMsMin: 500 }] } },
      '$.topology.replicas[0].lagMsMin: expected lagMsMin <= lagMsMax (200), found 500'],
    ['payment delay inverted', { payment: { delayMsMin: 101 } }, '$.payment.delayMsMin: expected delayMsMin <= delayMsMax (100), found 101'],
    ['random pauses inverted', { faults: { randomPauses: { durationMsMin: 5, durationMsMax: 1 } } },
      '$.faults.randomPauses.durationMsMin: expected durationMsMin <= durationMsMax (1), found 5'],
    ['random pauses of 0 ms', { faults: { randomPauses: { perMille: 10 } } },
      '$.faults.randomPauses.durationMsMax: expected at least 1 when randomPauses.perMille > 0, found 0'],
    ['two overlapping pauses of one node', { faults: { steps: [
      { kind: 'pause', node: 'app1', atMs: 0, durationMs: 100 }, { kind: 'pause', node: 'app1', atMs: 50, durationMs: 10 }] } },
      '$.faults.steps[1]: expected no overlap with $.faults.steps[0] (pause of app1 from 0 to 100 ms), found pause of app1 from 50 to 60 ms'],
    ['a pause of a crashed node', { faults: { steps: [
      { kind: 'crash', node: 'db', atMs: 0 }, { kind: 'pause', node: 'db', atMs: 500, durationMs: 10 }] } },
      'found pause of db from 500 to 510 ms — a node can be paused or crashed only once at a time'],
    ['overlapping partitions cutting one link', { faults: { steps: [
      { kind: 'partition', a: ['app1'], b: ['db'], atMs: 0, healAtMs: 100 },
      { kind: 'partition', a: ['db'], b: ['app1', 'app2'], atMs: 50, healAtMs: 150 }] } },
      '$.faults.steps[1]: expected no overlap with $.faults.steps[0] (partition from 0 to 100 ms)'],
    ['partition sides that overlap', step({ kind: 'partition', a: ['app1', 'db'], b: ['db'], atMs: 0, healAtMs: 5 }),
      '$.faults.steps[0].b[0]: expected a node that is not also in a, found "db"'],
    ['an empty partition side', step({ kind: 'partition', a: [], b: ['db'], atMs: 0, healAtMs: 5 }),
      '$.faults.steps[0].a: expected an array of 1 to 100 entries, found an empty array'],
    ['a node twice on one side', step({ kind: 'partition', a: ['app1', 'app1'], b: ['db'], atMs: 0, healAtMs: 5 }),
      '$.faults.steps[0].a[1]: expected each node once'],
    ['a fault after the run ends', step({ kind: 'pause', node: 'app1', atMs: 600_001, durationMs: 5 }),
      '$.faults.steps[0].atMs: expected a time no later than limits.maxTimeMs (600000), found 600001 — the run stops at limits.maxTimeMs'],
    ['an order after the run ends', { limits: { maxTimeMs: 1000 }, workload: { orders: [{ atMs: 1000, app: 'app1', item: 'vase' }, { atMs: 1001, app: 'app1', item: 'vase' }] } },
      '$.workload.orders[1].atMs: expected a time no later than limits.maxTimeMs (1000), found 1001'],
    ['a generator window past the run', { limits: { maxTimeMs: 1000 }, workload: { generate: { windowMs: 2000 } } },
      '$.workload.generate.windowMs: expected a time no later than limits.maxTimeMs (1000), found 2000'],
    ['the same call-addressed fault twice', { faults: { steps: [{ kind: 'drop-reply', call: 'write', order: 'o1' }, { kind: 'drop-reply', call: 'write', order: 'o1', attempt: 1 }] } },
      '$.faults.steps[1]: expected each fault once, found the same drop-reply step as $.faults.steps[0]'],
    ['an old step counted in global send order', { faults: { steps: [{ kind: 'drop-reply', call: 'write', nth: 2 }] } },
      '$.faults.steps[0].nth: expected a call addressed by its origin ("order" or "process", and "attempt"), found "nth" (a count in global send order, which changes with the interleaving)'],
    ['a call step naming no origin', { faults: { steps: [{ kind: 'drop-request', call: 'write' }] } },
      '$.faults.steps[0]: expected a call addressed by its origin: "order" (e.g. "o7") or "process" (e.g. "recover-app2"), and "attempt", found neither "order" nor "process"'],
    ['an order the workload does not have', { faults: { steps: [{ kind: 'drop-request', call: 'write', order: 'o99' }] } },
      '$.faults.steps[0].order: expected an order of this workload ("o1".."o15"), found "o99"'],
    ['an order and a process at once', { faults: { steps: [{ kind: 'payment-fail', order: 'o1', process: 'recover-app1' }] } },
      '$.faults.steps[0].process: expected either "order" or "process", not both, found both'],
    ['the recovery of an app server that does not exist', { faults: { steps: [{ kind: 'payment-fail', process: 'recover-app9' }] } },
      '$.faults.steps[0].process: expected the recovery of an app server ("recover-app1".."recover-app3"), found "recover-app9"'],
    ['a pause with no time and no delivery', { faults: { steps: [{ kind: 'pause', node: 'app1', durationMs: 10 }] } },
      '$.faults.steps[0].atMs: expected a time ("atMs") or a message ("onDelivery") at which the pause starts, found neither'],
  ])('%s', (_name, patch, message) => {
    expect(joined(withScenario(patch))).toContain(message);
  });

  it('allows partitions that overlap in time but cut different links, and back-to-back pauses', () => {
    const result = parseScenario(withScenario({ faults: { steps: [
      { kind: 'partition', a: ['app1'], b: ['db'], atMs: 0, healAtMs: 100, direction: 'a-to-b' },
      { kind: 'partition', a: ['db'], b: ['app1'], atMs: 0, healAtMs: 100, direction: 'a-to-b' },
      { kind: 'partition', a: ['app2'], b: ['db'], atMs: 50, healAtMs: 150 },
      { kind: 'partition', a: ['app2'], b: ['db'], atMs: 150, healAtMs: 200 },
      { kind: 'pause', node: 'app1', atMs: 0, durationMs: 100 },
      { kind: 'pause', node: 'app1', atMs: 100, durationMs: 100 },
    ] } }), 'x.json');
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([]);
  });
});

describe('prototype keys', () => {
  it('__proto__, constructor and prototype are unknown keys, and nothing is polluted', () => {
    const text = '{"items":[{"id":"vase","stock":1}],"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},'
      + '"network":{"__proto__":{"delayMsMin":1}},"strategy":{"options":{"__proto__":{"polluted":1},"prototype":1,"constructor":2}}}';
    const lines = joined(text);
    expect(lines).toContain('$: expected one of the keys "$schema", "name", "description", "seed", "items", "topology", ..., found unknown key "__proto__" — "__proto__" is never a valid key');
    expect(lines).toContain('found unknown key "constructor" — "constructor" is never a valid key');
    expect(lines).toContain('$.network: expected one of the keys "delayMsMin"');
    expect(lines).toContain('$.strategy.options: expected an option name, found key "__proto__"');
    expect(lines).toContain('$.strategy.options: expected an option name: a letter, then letters, digits, ".", "_" or "-" (not __proto__, constructor or prototype), found key "prototype"');
    expect(lines).toContain('found key "constructor"');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });
});

describe('absurd sizes and nesting', () => {
  it('100000 nested arrays: "nested too deeply", with a place', () => {
    const text = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(joined(text)).toBe('scenarios/x.json:1:65: expected at most 64 levels of nesting, found arrays or objects nested too deeply — a scenario needs about 6 levels');
  });
  it('deep junk inside a field', () => {
    const text = `{"items": ${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}`;
    expect(joined(text)).toContain('found arrays or objects nested too deeply');
  });
  it('a 10 MB file is refused before parsing, naming the 1 MiB limit', () => {
    const text = `{"description": "${'x'.repeat(10 * 1024 * 1024)}"}`;
    expect(joined(text)).toBe('scenarios/x.json: expected a file of at most 1 MiB (1048576 bytes), found 10485779 bytes — '
      + 'scenario files are small: use workload.generate instead of listing thousands of orders');
  });
  it('counts bytes, not characters', () => {
    const text = `{"description": "${'é'.repeat(LIMITS.fileBytesMax / 2)}"}`;
    expect(text.length).toBeLessThan(LIMITS.fileBytesMax);
    expect(joined(text)).toContain('expected a file of at most 1 MiB');
  });
  it('a long string is abbreviated in the message', () => {
    const lines = problemLines(JSON.stringify({ ...MINIMAL, seed: 'x'.repeat(100_000) }));
    expect(lines[0]).toContain('found "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx..." (100000 characters)');
    expect(lines[0].length).toBeLessThan(200);
  });
  it('a long unknown key is abbreviated too', () => {
    const lines = problemLines(JSON.stringify({ ...MINIMAL, ['k'.repeat(5000)]: 1 }));
    expect(lines[0].length).toBeLessThan(300);
  });
});

describe('problem list', () => {
  it('shows the first 20 problems, then how many more', () => {
    const orders = Array.from({ length: 30 }, () => ({ app: 'app9', item: 'vase' }));
    const lines = problemLines(withScenario({ workload: { orders } }));
    expect(lines).toHaveLength(21);
    expect(lines[20]).toBe('scenarios/x.json: expected at most 20 problems shown per file, found 10 more problems — fix the problems above and validate again');
  });
  it('reports every problem once', () => {
    const lines = problemLines(withScenario({ network: { delayMsMax: 1e300 } }));
    expect(lines).toHaveLength(1);
  });
  it('points at the offending value', () => {
    const text = '{\n  "items": [{ "id": "vase", "stock": 10 }],\n  "topology": {\n    "appServers": 65\n  }\n}';
    expect(joined(text)).toBe('scenarios/x.json:4:19: $.topology.appServers: expected an integer from 1 to 64, found 65');
  });
  it('escapes control characters in file names and values', () => {
    const result = parseScenario('[]', 'bad\nname\u2028.json');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(formatProblem(result.problems[0])).toBe('bad\\u000aname\\u2028.json:1:1: $: expected a JSON object (the scenario), found an empty array');
  });
  it('survives a caller passing non-strings', () => {
    const result = parseScenario(undefined as unknown as string, undefined as unknown as string);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(formatProblem(result.problems[0])).toBe('(scenario): expected the text of a scenario file, found undefined');
  });
  it('accepts a UTF-8 byte order mark', () => {
    expect(parseScenario(`\uFEFF${JSON.stringify(MINIMAL)}`, 'x.json').ok).toBe(true);
  });
  it('problems carry a JSONPath, the expectation, what was found and the place', () => {
    expect(problemsOf('{"items": [{"id": "vase", "stock": -1}]}')).toEqual([{
      file: 'scenarios/x.json', path: '$.items[0].stock', expected: 'an integer from 0 to 100000', found: '-1', line: 1, column: 36,
    }]);
  });
});
