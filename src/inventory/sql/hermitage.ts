/**
 * Hermitage (github.com/ept/hermitage, postgres.md) as data: every PostgreSQL test case as
 * sessions and ordered steps, run at each of the three isolation levels, with what PostgreSQL
 * does at each step. The transcripts give the levels Hermitage ran each case at; the other
 * levels' outcomes follow from the same PostgreSQL rules and are confirmed against a real
 * server by the conformance run. Where a transcript ends a failed transaction with `abort`
 * and its other-level twin with `commit`, the case uses `commit` (on a failed transaction
 * PostgreSQL answers ROLLBACK), so one list of steps serves every level.
 */
import type { Schedule, ScheduleOutcome, ScheduleStep } from './schedule.js';
import type { Isolation, TableSpec } from './types.js';

export type Level = 'rc' | 'rr' | 'ser';
export const LEVELS: readonly Level[] = ['rc', 'rr', 'ser'];
export const LEVEL_NAMES: Record<Level, Isolation> = { rc: 'read committed', rr: 'repeatable read', ser: 'serializable' };

/** What PostgreSQL does at one step. `rows` as "id:value" pairs ordered by id ("" for none). */
export interface StepExpect {
  readonly blocks?: true;
  readonly rows?: string;
  readonly count?: number;
  readonly error?: string;
  readonly command?: string;
}

export type PerLevel<T> = T | { readonly rc: T; readonly rr: T; readonly ser: T };

export interface HermitageCase {
  readonly name: string;
  /** The anomaly, as Hermitage names it. */
  readonly anomaly: string;
  readonly steps: readonly (readonly [session: string, sql: string, expect?: PerLevel<StepExpect>])[];
  /** The committed table at the end ("id:value" pairs). */
  readonly final: PerLevel<string>;
}

export const HERMITAGE_TABLE: TableSpec = {
  name: 'test',
  columns: [
    { name: 'id', type: 'int4' },
    { name: 'value', type: 'int4' },
  ],
  primaryKey: ['id'],
  rows: [
    { id: 1, value: 10 },
    { id: 2, value: 20 },
  ],
};

const BEGIN = 'begin transaction isolation level {level}';
const rc = <T>(rcV: T, other: T): PerLevel<T> => ({ rc: rcV, rr: other, ser: other });
const ROLLBACK_IF_FAILED = rc<StepExpect>({ command: 'COMMIT' }, { command: 'ROLLBACK' });
const FAILED = { error: '25P02' };

export const HERMITAGE: readonly HermitageCase[] = [
  {
    name: 'G0',
    anomaly: 'dirty write (write cycles)',
    steps: [
      ['T1', BEGIN],
      ['T2', BEGIN],
      ['T1', 'update test set value = 11 where id = 1', { count: 1 }],
      ['T2', 'update test set value = 12 where id = 1', rc<StepExpect>({ blocks: true, count: 1 }, { blocks: true, error: '40001' })],
      ['T1', 'update test set value = 21 where id = 2', { count: 1 }],
      ['T1', 'commit', { command: 'COMMIT' }],
      ['T1', 'select * from test', { rows: '1:11 2:21' }],
      ['T2', 'update test set value = 22 where id = 2', rc<StepExpect>({ count: 1 }, FAILED)],
      ['T2', 'commit', ROLLBACK_IF_FAILED],
      ['T1', 'select * from test', rc<StepExpect>({ rows: '1:12 2:22' }, { rows: '1:11 2:21' })],
    ],
    final: rc('1:12 2:22', '1:11 2:21'),
  },
  {
    name: 'G1a',
    anomaly: 'aborted reads',
    steps: [
      ['T1', BEGIN],
      ['T2', BEGIN],
      ['T1', 'update test set value = 101 where id = 1', { count: 1 }],
      ['T2', 'select * from test', { rows: '1:10 2:20' }],
      ['T1', 'abort', { command: 'ROLLBACK' }],
      ['T2', 'select * from test', { rows: '1:10 2:20' }],
      ['T2', 'commit', { command: 'COMMIT' }],
    ],
    final: '1:10 2:20',
  },
  {
    name: 'G1b',
    anomaly: 'intermediate reads',
    steps: [
      ['T1', BEGIN],
      ['T2', BEGIN],
      ['T1', 'update test set value = 101 where id = 1', { count: 1 }],
      ['T2', 'select * from test', { rows: '1:10 2:20' }],
      ['T1', 'update test set value = 11 where id = 1', { count: 1 }],
      ['T1', 'commit', { command: 'COMMIT' }],
      ['T2', 'select * from test', rc<StepExpect>({ rows: '1:11 2:20' }, { rows: '1:10 2:20' })],
      ['T2', 'commit', { command: 'COMMIT' }],
    ],
    final: '1:11 2:20',
  },
  {
    name: 'G1c',
    anomaly: 'circular information flow',
    steps: [
      ['T1', BEGIN],
      ['T2', BEGIN],
      ['T1', 'update test set value = 11 where id = 1', { count: 1 }],
      ['T2', 'update test set value = 22 where id = 2', { count: 1 }],
      ['T1', 'select * from test where id = 2', { rows: '2:20' }],
      ['T2', 'select * from test where id = 1', { rows: '1:10' }],
      ['T1', 'commit', { command: 'COMMIT' }],
      // Each read the other's row before the other's write: a rw-cycle, which SSI breaks.
      ['T2', 'commit', { rc: { command: 'COMMIT' }, rr: { command: 'COMMIT' }, ser: { error: '40001' } }],
    ],
    final: { rc: '1:11 2:22', rr: '1:11 2:22', ser: '1:11 2:20' },
  },
  {
    name: 'OTV',
    anomaly: 'observed transaction vanishes',
    steps: [
      ['T1', BEGIN],
      ['T2', BEGIN],
      ['T3', BEGIN],
      ['T1', 'update test set value = 11 where id = 1', { count: 1 }],
      ['T1', 'update test set value = 19 where id = 2', { count: 1 }],
      ['T2', 'update test set value = 12 where id = 1', rc<StepExpect>({ blocks: true, count: 1 }, { blocks: true, error: '40001' })],
      ['T1', 'commit', { command: 'COMMIT' }],
      ['T3', 'select * from test where id = 1', { rows: '1:11' }],
      ['T2', 'update test set value = 18 where id = 2', rc<StepExpect>({ count: 1 }, FAILED)],
      ['T3', 'select * from test where id = 2', { rows: '2:19' }],
      ['T2', 'commit', ROLLBACK_IF_FAILED],
      ['T3', 'select * from test where id = 2', rc<StepExpect>({ rows: '2:18' }, { rows: '2:19' })],
      ['T3', 'select * from test where id = 1', rc<StepExpect>({ rows: '1:12' }, { rows: '1:11' })],
      ['T3', 'commit', { command: 'COMMIT' }],
    ],
    final: rc('1:12 2:18', '1:11 2:19'),
  },
  {
    name: 'PMP',
    anomaly: 'predicate-many-preceders',
    steps: [
      ['T1', BEGIN],
      ['T2', BEGIN],
      ['T1', 'select * from test where value = 30', { rows: '' }],
      ['T2', 'insert into test (id, value) values(3, 30)', { count: 1 }],
      ['T2', 'commit', { command: 'COMMIT' }],
      ['T1', 'select * from test where value % 3 = 0', rc<StepExpect>({ rows: '3:30' }, { rows: '' })],
      ['T1', 'commit', { command: 'COMMIT' }],
    ],
    final: '1:10 2:20 3:30',
  },
  {
    name: 'PMP-write',
    anomaly: 'predicate-many-preceders for write predicates',
    steps: [
      ['T1', BEGIN],
      ['T2', BEGIN],
      ['T1', 'update test set value = value + 10', { count: 2 }],
      ['T2', 'delete from test where value = 20', rc<StepExpect>({ blocks: true, count: 0 }, { blocks: true, error: '40001' })],
      ['T1', 'commit', { command: 'COMMIT' }],
      ['T2', 'select * from test where value = 20', rc<StepExpect>({ rows: '1:20' }, FAILED)],
      ['T2', 'commit', ROLLBACK_IF_FAILED],
    ],
    final: '1:20 2:30',
  },
  {
    name: 'P4',
    anomaly: 'lost update',
    steps: [
      ['T1', BEGIN],
      ['T2', BEGIN],
      ['T1', 'select * from test where id = 1', { rows: '1:10' }],
      ['T2', 'select * from test where id = 1', { rows: '1:10' }],
      ['T1', 'update test set value = 11 where id = 1', { count: 1 }],
      ['T2', 'update test set value = 11 where id = 1', rc<StepExpect>({ blocks: true, count: 1 }, { blocks: true, error: '40001' })],
      ['T1', 'commit', { command: 'COMMIT' }],
      ['T2', 'commit', ROLLBACK_IF_FAILED],
    ],
    final: '1:11 2:20',
  },
  {
    name: 'G-single',
    anomaly: 'read skew',
    steps: [
      ['T1', BEGIN],
      ['T2', BEGIN],
      ['T1', 'select * from test where id = 1', { rows: '1:10' }],
      ['T2', 'select * from test where id = 1', { rows: '1:10' }],
      ['T2', 'select * from test where id = 2', { rows: '2:20' }],
      ['T2', 'update test set value = 12 where id = 1', { count: 1 }],
      ['T2', 'update test set value = 18 where id = 2', { count: 1 }],
      ['T2', 'commit', { command: 'COMMIT' }],
      ['T1', 'select * from test where id = 2', rc<StepExpect>({ rows: '2:18' }, { rows: '2:20' })],
      ['T1', 'commit', { command: 'COMMIT' }],
    ],
    final: '1:12 2:18',
  },
  {
    name: 'G-single-predicate',
    anomaly: 'read skew with predicate dependencies',
    steps: [
      ['T1', BEGIN],
      ['T2', BEGIN],
      ['T1', 'select * from test where value % 5 = 0', { rows: '1:10 2:20' }],
      ['T2', 'update test set value = 12 where value = 10', { count: 1 }],
      ['T2', 'commit', { command: 'COMMIT' }],
      ['T1', 'select * from test where value % 3 = 0', rc<StepExpect>({ rows: '1:12' }, { rows: '' })],
      ['T1', 'commit', { command: 'COMMIT' }],
    ],
    final: '1:12 2:20',
  },
  {
    name: 'G-single-write-predicate',
    anomaly: 'read skew with a write predicate',
    steps: [
      ['T1', BEGIN],
      ['T2', BEGIN],
      ['T1', 'select * from test where id = 1', { rows: '1:10' }],
      ['T2', 'select * from test', { rows: '1:10 2:20' }],
      ['T2', 'update test set value = 12 where id = 1', { count: 1 }],
      ['T2', 'update test set value = 18 where id = 2', { count: 1 }],
      ['T2', 'commit', { command: 'COMMIT' }],
      ['T1', 'delete from test where value = 20', rc<StepExpect>({ count: 0 }, { error: '40001' })],
      ['T1', 'commit', ROLLBACK_IF_FAILED],
    ],
    final: '1:12 2:18',
  },
  {
    name: 'G2-item',
    anomaly: 'write skew on disjoint reads',
    steps: [
      ['T1', BEGIN],
      ['T2', BEGIN],
      ['T1', 'select * from test where id in (1,2)', { rows: '1:10 2:20' }],
      ['T2', 'select * from test where id in (1,2)', { rows: '1:10 2:20' }],
      ['T1', 'update test set value = 11 where id = 1', { count: 1 }],
      ['T2', 'update test set value = 21 where id = 2', { count: 1 }],
      ['T1', 'commit', { command: 'COMMIT' }],
      ['T2', 'commit', { rc: { command: 'COMMIT' }, rr: { command: 'COMMIT' }, ser: { error: '40001' } }],
    ],
    final: { rc: '1:11 2:21', rr: '1:11 2:21', ser: '1:11 2:20' },
  },
  {
    name: 'G2',
    anomaly: 'anti-dependency cycles (write skew on predicate reads)',
    steps: [
      ['T1', BEGIN],
      ['T2', BEGIN],
      ['T1', 'select * from test where value % 3 = 0', { rows: '' }],
      ['T2', 'select * from test where value % 3 = 0', { rows: '' }],
      ['T1', 'insert into test (id, value) values(3, 30)', { count: 1 }],
      ['T2', 'insert into test (id, value) values(4, 42)', { count: 1 }],
      ['T1', 'commit', { command: 'COMMIT' }],
      ['T2', 'commit', { rc: { command: 'COMMIT' }, rr: { command: 'COMMIT' }, ser: { error: '40001' } }],
      ['T1', 'select * from test where value % 3 = 0', { rc: { rows: '3:30 4:42' }, rr: { rows: '3:30 4:42' }, ser: { rows: '3:30' } }],
    ],
    final: { rc: '1:10 2:20 3:30 4:42', rr: '1:10 2:20 3:30 4:42', ser: '1:10 2:20 3:30' },
  },
  {
    name: 'G2-two-edges',
    anomaly: "anti-dependency cycles, Fekete et al.'s read-only anomaly",
    steps: [
      ['T1', BEGIN],
      ['T1', 'select * from test', { rows: '1:10 2:20' }],
      ['T2', BEGIN],
      ['T2', 'update test set value = value + 5 where id = 2', { count: 1 }],
      ['T2', 'commit', { command: 'COMMIT' }],
      ['T3', BEGIN],
      ['T3', 'select * from test', { rows: '1:10 2:25' }],
      ['T3', 'commit', { command: 'COMMIT' }],
      ['T1', 'update test set value = 0 where id = 1', { rc: { count: 1 }, rr: { count: 1 }, ser: { error: '40001' } }],
      ['T1', 'commit', { rc: { command: 'COMMIT' }, rr: { command: 'COMMIT' }, ser: { command: 'ROLLBACK' } }],
    ],
    final: { rc: '1:0 2:25', rr: '1:0 2:25', ser: '1:10 2:25' },
  },
];

export function atLevel<T>(v: PerLevel<T>, level: Level): T {
  return typeof v === 'object' && v !== null && 'rc' in v && 'rr' in v && 'ser' in v ? (v as { rc: T; rr: T; ser: T })[level] : (v as T);
}

/** The case as a schedule at one isolation level. */
export function hermitageSchedule(c: HermitageCase, level: Level): Schedule {
  const steps: ScheduleStep[] = c.steps.map(([session, sql]) => ({ session, sql: sql.replace('{level}', LEVEL_NAMES[level]) }));
  return { tables: [HERMITAGE_TABLE], steps };
}

const pairs = (rows: readonly Record<string, unknown>[]) => rows.map((r) => `${r.id}:${r.value}`).join(' ');

/** Where an outcome differs from what PostgreSQL does (the case's expectations): one line each. */
export function checkHermitage(c: HermitageCase, level: Level, o: ScheduleOutcome): string[] {
  const out: string[] = [];
  c.steps.forEach(([session, sql, e], i) => {
    const want = e ? atLevel(e, level) : {};
    const got = o.steps[i];
    const at = `${c.name} ${LEVEL_NAMES[level]} step ${i + 1} (${session}: ${sql})`;
    if (got.blocked !== (want.blocks === true)) out.push(`${at}: ${got.blocked ? 'blocked' : 'did not block'}`);
    const r = got.result;
    if (!r) {
      out.push(`${at}: never finished`);
      return;
    }
    if (want.error) {
      if (r.ok || r.sqlstate !== want.error) out.push(`${at}: wanted ERROR ${want.error}, got ${r.ok ? r.command : `ERROR ${r.sqlstate}`}`);
      return;
    }
    if (!r.ok) {
      out.push(`${at}: ERROR ${r.sqlstate} ${r.message}`);
      return;
    }
    if (want.rows !== undefined) {
      const sorted = [...r.rows].sort((a, b) => Number(a.id) - Number(b.id));
      if (pairs(sorted) !== want.rows) out.push(`${at}: rows ${pairs(sorted) || '(none)'}, wanted ${want.rows || '(none)'}`);
    }
    if (want.count !== undefined && r.rowCount !== want.count) out.push(`${at}: ${r.rowCount} rows, wanted ${want.count}`);
    if (want.command !== undefined && r.command !== want.command) out.push(`${at}: ${r.command}, wanted ${want.command}`);
  });
  const final = pairs(o.tables.test ?? []);
  if (final !== atLevel(c.final, level)) out.push(`${c.name} ${LEVEL_NAMES[level]} final table: ${final}, wanted ${atLevel(c.final, level)}`);
  return out;
}
