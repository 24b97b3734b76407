import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkHermitage, HERMITAGE, hermitageSchedule, LEVEL_NAMES, LEVELS } from '../../../src/inventory/sql/hermitage.js';
import { conformanceCases, runConformance, type ConformanceReport } from '../../../src/inventory/sql/pg/conformance.js';
import { PgConnections, runSchedulePg } from '../../../src/inventory/sql/pg/runSchedulePg.js';
import { startTestPostgres, type TestPostgres } from '../../helpers/postgres.js';

/**
 * The simulated engine against a real PostgreSQL (Debian's postgresql, a throw-away cluster).
 * Without PostgreSQL the tests skip, except under CI=true, where they fail: CI installs it.
 */
let server: TestPostgres | undefined;
let why = '';
let report: ConformanceReport | undefined;

beforeAll(async () => {
  const s = await startTestPostgres();
  if ('error' in s) {
    why = s.error;
    if (process.env.CI === 'true') throw new Error(`PostgreSQL could not start under CI: ${s.error}`);
    return;
  }
  server = s;
  report = await runConformance({ connectionString: s.url });
}, 300_000);

afterAll(() => server?.stop());

const describeLabel = (r: ConformanceReport) =>
  r.cases.filter((c) => c.disagreements.length > 0).map((c) => `${c.name} at ${LEVEL_NAMES[c.level]}: ${JSON.stringify(c.disagreements)}`);

describe('conformance with a real PostgreSQL', () => {
  it('zero disagreements at READ COMMITTED and REPEATABLE READ, step by step and in the final tables', (ctx) => {
    if (!report) return ctx.skip(why);
    const exact = { ...report, cases: report.cases.filter((c) => c.level !== 'ser') };
    expect(exact.cases.length).toBe(conformanceCases().length * (2 / 3));
    expect(describeLabel(exact)).toEqual([]);
  });

  it('no curated case depends on a race between statements woken together', (ctx) => {
    if (!report) return ctx.skip(why);
    expect(report.cases.filter((c) => c.simulated.racy).map((c) => `${c.name} ${c.level}`)).toEqual([]);
  });

  it('at SERIALIZABLE: the same committed transactions, the same "some transaction fails with 40001 or none", the same tables', (ctx) => {
    if (!report) return ctx.skip(why);
    const ser = { ...report, cases: report.cases.filter((c) => c.level === 'ser') };
    expect(describeLabel(ser)).toEqual([]);
  });

  it("PostgreSQL itself shows Hermitage's column at every level (the expectations are PostgreSQL's, not the simulator's)", (ctx) => {
    if (!report) return ctx.skip(why);
    const problems: string[] = [];
    for (const c of HERMITAGE) {
      for (const level of LEVELS) {
        const r = report.cases.find((x) => x.name === `hermitage ${c.name}` && x.level === level)!;
        problems.push(...checkHermitage(c, level, r.postgres));
      }
    }
    expect(problems).toEqual([]);
  });

  it('a schedule that blocks is seen blocked, and a step after a blocked step of the same session is refused', async (ctx) => {
    if (!server) return ctx.skip(why);
    const g0 = HERMITAGE.find((c) => c.name === 'G0')!;
    const conns = new PgConnections(server.url);
    try {
      const out = await runSchedulePg(hermitageSchedule(g0, 'rc'), { connectionString: server.url, connections: conns });
      expect(out.steps[3]).toMatchObject({ blocked: true, completedAfter: 5 });
      const bad = { tables: hermitageSchedule(g0, 'rc').tables, steps: [...hermitageSchedule(g0, 'rc').steps.slice(0, 4), { session: 'T2', sql: 'select 1' }] };
      await expect(runSchedulePg(bad, { connectionString: server.url, connections: conns })).rejects.toThrow(/session T2 is still blocked on step 4/);
    } finally {
      await conns.close();
    }
  });
});
