// The independence relation at the primary and the SQL server (docs/exploration.md,
// "Independence at the primary and the SQL server"): the relation over footprints, what the
// primary says its requests touched, happens-before over objects with read/write modes, and
// the searches it shortens on two items (two rows) without changing what they find.
import { beforeAll, describe, expect, it } from 'vitest';
import { dependent } from '../../src/explore/exhaustive/independence.js';
import { HappensBefore } from '../../src/explore/exhaustive/happensBefore.js';
import { AccessLog } from '../../src/sim/access.js';
import { InstantDB } from '../../src/inventory/instantDb.js';
import { dbBefore, describeDbRequest } from '../../src/inventory/dbAccess.js';
import { loadScenario, parseScenario, searchSchedules, STRATEGIES, formatProblem, type Scenario } from '../../src/index.js';
import { loadSqlParser } from '../../src/inventory/sql/parse.js';

beforeAll(() => loadSqlParser());

function scenario(path: string): Scenario {
  const r = loadScenario(path);
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  return r.scenario;
}

describe('dependent(): the relation over footprints', () => {
  it('reads commute with reads, increments with increments; a write conflicts with every use of its object', () => {
    expect(dependent(['r:db/item:vase'], ['r:db/item:vase'])).toBe(false);
    expect(dependent(['i:db/seq'], ['i:db/seq'])).toBe(false);
    expect(dependent(['r:db/seq'], ['i:db/seq'])).toBe(true);
    expect(dependent(['w:db/item:vase'], ['r:db/item:vase'])).toBe(true);
    expect(dependent(['w:db/item:vase'], ['w:db/item:lamp'])).toBe(false);
  });

  it('a whole node conflicts with each of its objects and nothing of another node; the world with everything', () => {
    expect(dependent(['db'], ['r:db/item:vase'])).toBe(true);
    expect(dependent(['sql'], ['r:db/item:vase'])).toBe(false);
    expect(dependent(['app1'], ['app2'])).toBe(false);
    expect(dependent([''], ['r:sql/row:items:vase'])).toBe(true);
    // A timeout touches its caller and the answering node, whole.
    expect(dependent(['app1', 'db'], ['w:db/item:lamp'])).toBe(true);
  });
});

describe('HappensBefore over objects', () => {
  it('two reads are unordered; a later write is ordered after both, and both are its races', () => {
    const hb = new HappensBefore();
    const r0 = hb.lastDependent(0, ['r:db/item:vase']);
    hb.record(0, [], r0);
    const r1 = hb.lastDependent(1, ['r:db/item:vase']);
    expect(hb.record(1, [], r1)).toEqual([]);
    expect(hb.hb(0, 1)).toBe(false);
    const w = hb.lastDependent(2, ['w:db/item:vase']);
    expect(w.sort()).toEqual([0, 1]);
    expect(hb.record(2, [], w).sort()).toEqual([0, 1]);
    expect(hb.hb(0, 2) && hb.hb(1, 2)).toBe(true);
  });

  it('an event ordered after another by its creator is no race with it', () => {
    const hb = new HappensBefore();
    hb.record(0, [], hb.lastDependent(0, ['w:db/item:vase']));
    expect(hb.record(1, [0], hb.lastDependent(1, ['w:db/item:vase']))).toEqual([]);
  });

  it('a whole-node event depends on every fine-grained event of its node since the last whole one', () => {
    const hb = new HappensBefore();
    hb.record(0, [], hb.lastDependent(0, ['w:db/item:vase']));
    hb.record(1, [], hb.lastDependent(1, ['w:db/item:lamp']));
    expect(hb.lastDependent(2, ['db']).sort()).toEqual([0, 1]);
  });
});

describe('what the primary says a request touched (dbAccess.ts)', () => {
  function told(db: InstantDB, call: string, body: Record<string, unknown>) {
    const log = new AccessLog();
    const before = dbBefore(db);
    db.apply(call, body);
    describeDbRequest(log, 'db', db, call, body, before);
    return log.take();
  }

  it('a committed decrement writes its item and increments seq; a read reads its item and seq', () => {
    const db = new InstantDB([{ id: 'vase', stock: 1 }, { id: 'lamp', stock: 1 }]);
    const dec = told(db, 'decrement', { lines: [{ item: 'vase', qty: 1 }], order: 'o1' });
    expect(dec.described).toEqual(['db']);
    expect([...dec.entries].sort()).toEqual(['i:db/seq', 'r:db/book', 'w:db/item:vase']);
    const read = told(db, 'read', { item: 'lamp', order: 'o2' });
    expect([...read.entries].sort()).toEqual(['r:db/book', 'r:db/item:lamp', 'r:db/seq']);
    // Decrements of two items commute; a read of the other item does not (it returns seq).
    const lamp = told(db, 'decrement', { lines: [{ item: 'lamp', qty: 1 }], order: 'o3' });
    expect(dependent(dec.entries, lamp.entries)).toBe(false);
    expect(dependent(dec.entries, read.entries)).toBe(true);
  });

  it('a refused decrement only reads; while a reservation is held nothing is told (the whole primary)', () => {
    const db = new InstantDB([{ id: 'vase', stock: 1 }]);
    told(db, 'decrement', { lines: [{ item: 'vase', qty: 1 }], order: 'o1' });
    const refused = told(db, 'decrement', { lines: [{ item: 'vase', qty: 1 }], order: 'o2' });
    expect([...refused.entries].sort()).toEqual(['r:db/book', 'r:db/item:vase']);
    const db2 = new InstantDB([{ id: 'vase', stock: 2 }, { id: 'lamp', stock: 1 }]);
    const reserve = told(db2, 'reserve', { lines: [{ item: 'vase', qty: 1 }], reservationId: 'r1', app: 'app1', leaseTicks: 2, order: 'o1' });
    expect(reserve.described).toEqual([]);
    const held = told(db2, 'decrement', { lines: [{ item: 'lamp', qty: 1 }], order: 'o2' });
    expect(held).toEqual({ entries: [], described: [] });
  });
});

describe('searches on two items: fewer executions, the same final states', () => {
  // Row- and item-level independence applies under the untimed-causal semantics; the timed
  // semantics (the default) orders every event of a node by its local time, so there the
  // primary and the SQL server stay one resource each (docs/exploration.md).
  const UNTIMED = { semantics: 'untimed-causal' } as const;
  it('sql-explore-two-rows, sql-guarded-decrement: rows 2 executions, nodes more, same final states', () => {
    const s = scenario('scenarios/sql-explore-two-rows.json');
    const g = STRATEGIES.get('sql-guarded-decrement')!;
    const rows = searchSchedules(s, g, { ...UNTIMED });
    const nodes = searchSchedules(s, g, { ...UNTIMED, independence: 'nodes' });
    expect(rows.exhausted && nodes.exhausted).toBe(true);
    expect(rows.found).toBe(null);
    expect(rows.executions).toBe(2);
    expect(nodes.executions).toBeGreaterThan(rows.executions);
    expect(rows.finalStates).toEqual(nodes.finalStates);
  });

  it('explore-small-two-items, compare-and-set: fewer executions than with the primary as one resource, same final states', () => {
    const s = scenario('scenarios/explore-small-two-items.json');
    const cas = STRATEGIES.get('compare-and-set')!;
    const rows = searchSchedules(s, cas, { ...UNTIMED });
    const nodes = searchSchedules(s, cas, { ...UNTIMED, independence: 'nodes' });
    expect(rows.exhausted && nodes.exhausted).toBe(true);
    expect(rows.executions).toBeLessThan(nodes.executions);
    expect(rows.finalStates).toEqual(nodes.finalStates);
  });

  it('a scan of a table (SUM over reservations) restarts the search once, and the cursor carries it', () => {
    const r = parseScenario(JSON.stringify({
      name: 'sum', seed: 1, items: [{ id: 'vase', stock: 1 }], topology: { appServers: 2 },
      network: { delayMsMin: 10, delayMsMax: 50 },
      workload: { orders: [{ atMs: 0, app: 'app1', item: 'vase' }, { atMs: 10, app: 'app2', item: 'vase' }] },
      sql: {
        tables: [{ name: 'reservations', columns: [{ name: 'order_id', type: 'text' }, { name: 'item', type: 'text', notNull: true }, { name: 'qty', type: 'int4', notNull: true }], primaryKey: ['order_id'] }],
        reservations: { table: 'reservations', item: 'item', qty: 'qty' },
      },
      strategy: { name: 'sql-sum-then-insert-serializable' }, limits: { maxTimeMs: 60000 }, timing: 'windowed',
    }), 'sum.json');
    if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
    const s = searchSchedules(r.scenario, STRATEGIES.get('sql-sum-then-insert-serializable')!, { ...UNTIMED, maxExecutions: 3 });
    expect(s.restarts).toBe(1);
    expect(s.cursor?.observed).toContain('sql/heap:reservations');
  });
});
