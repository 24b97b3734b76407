// compareWithPostgres on a racy schedule (one COMMIT wakes two waiting UPDATEs at once, which
// PostgreSQL lets race): tried again until PostgreSQL agrees, up to RACY_SCHEDULE_ATTEMPTS runs;
// a schedule that is not racy runs once. The PostgreSQL side is scripted here (the real server's
// side is in sqlOnPostgres.slow.test.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlParser } from '../../../src/inventory/sql/parse.js';
import { compareRacyAware, RACY_SCHEDULE_ATTEMPTS } from '../../../src/inventory/sql/pg/conformance.js';
import { StillBlockedOnPostgres } from '../../../src/inventory/sql/pg/runSchedulePg.js';
import { runScheduleSim, type Schedule, type ScheduleOutcome } from '../../../src/inventory/sql/schedule.js';
import { ITEMS } from './helpers.js';

const update = (session: string) => ({ session, sql: 'UPDATE items SET stock = stock - 1 WHERE id = $1', params: ['lamp'] });

/** T1 holds the row; T2 then T3 wait for it; T1's COMMIT wakes both (racy); each commits in turn. */
const RACY: Schedule = {
  tables: [ITEMS],
  steps: [
    { session: 'T1', sql: 'BEGIN' },
    { session: 'T2', sql: 'BEGIN' },
    { session: 'T3', sql: 'BEGIN' },
    update('T1'),
    update('T2'),
    update('T3'),
    { session: 'T1', sql: 'COMMIT' },
    { session: 'T2', sql: 'COMMIT' },
    { session: 'T3', sql: 'COMMIT' },
  ],
};

/** Only T2 waits for T1: its COMMIT wakes one statement. */
const CALM: Schedule = {
  tables: [ITEMS],
  steps: [{ session: 'T1', sql: 'BEGIN' }, { session: 'T2', sql: 'BEGIN' }, update('T1'), update('T2'), { session: 'T1', sql: 'COMMIT' }, { session: 'T2', sql: 'COMMIT' }],
};

/** A PostgreSQL side that answers from `script` in turn: an outcome, or a session still blocked. */
function scripted(script: Array<ScheduleOutcome | 'still-blocked' | 'down'>): { runPg: () => Promise<ScheduleOutcome>; calls: () => number } {
  let n = 0;
  return {
    calls: () => n,
    runPg: async () => {
      const next = script[Math.min(n++, script.length - 1)];
      if (next === 'still-blocked') throw new StillBlockedOnPostgres('step 8 (T2: COMMIT): session T2 is still blocked on step 5');
      if (next === 'down') throw new Error('connection refused');
      return next;
    },
  };
}

/** The simulated outcome with T3's UPDATE finishing first: what PostgreSQL's other order looks like. */
function otherOrder(sim: ScheduleOutcome): ScheduleOutcome {
  return { ...sim, steps: sim.steps.map((s) => (s.index === 5 ? { ...s, completedAfter: 6 } : s)) };
}

describe('a racy schedule on PostgreSQL', () => {
  beforeAll(async () => {
    await loadSqlParser();
  });

  it('the schedules are what they say: RACY wakes two waiters at once, CALM one', () => {
    expect(runScheduleSim(RACY).racy).toBe(true);
    expect(runScheduleSim(CALM).racy).toBe(false);
  });

  it('is run again when PostgreSQL held a session waiting, and counts the runs', async () => {
    const sim = runScheduleSim(RACY);
    const pg = scripted(['still-blocked', 'still-blocked', sim]);
    const r = await compareRacyAware(RACY, 'rc', pg.runPg);
    expect(r.disagreements).toEqual([]);
    expect(r.attempts).toBe(3);
    expect(pg.calls()).toBe(3);
  });

  it('is run again when PostgreSQL disagreed, and stops at the first run that agrees', async () => {
    const sim = runScheduleSim(RACY);
    const pg = scripted([otherOrder(sim), sim, otherOrder(sim)]);
    const r = await compareRacyAware(RACY, 'rc', pg.runPg);
    expect(r.disagreements).toEqual([]);
    expect(r.attempts).toBe(2);
  });

  it(`gives the last run's disagreements after ${RACY_SCHEDULE_ATTEMPTS} runs that all disagree`, async () => {
    const sim = runScheduleSim(RACY);
    const pg = scripted([otherOrder(sim)]);
    const r = await compareRacyAware(RACY, 'rc', pg.runPg);
    expect(r.disagreements.length).toBeGreaterThan(0);
    expect(r.attempts).toBe(RACY_SCHEDULE_ATTEMPTS);
    expect(pg.calls()).toBe(RACY_SCHEDULE_ATTEMPTS);
  });

  it(`says the schedule is racy when PostgreSQL held a session waiting in all ${RACY_SCHEDULE_ATTEMPTS} runs`, async () => {
    const pg = scripted(['still-blocked']);
    const e = await compareRacyAware(RACY, 'rc', pg.runPg).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(StillBlockedOnPostgres);
    expect((e as Error).message).toMatch(new RegExp(`still blocked on step 5 in each of ${RACY_SCHEDULE_ATTEMPTS} runs on PostgreSQL: the schedule is racy`));
    expect(pg.calls()).toBe(RACY_SCHEDULE_ATTEMPTS);
  });

  it('is not run again for other errors (a server that is down)', async () => {
    const pg = scripted(['down']);
    await expect(compareRacyAware(RACY, 'rc', pg.runPg)).rejects.toThrow('connection refused');
    expect(pg.calls()).toBe(1);
  });
});

describe('a schedule that is not racy on PostgreSQL', () => {
  beforeAll(async () => {
    await loadSqlParser();
  });

  it('runs once, whatever PostgreSQL answers', async () => {
    const sim = runScheduleSim(CALM);
    const disagree = scripted([otherOrder(sim), sim]);
    const r = await compareRacyAware(CALM, 'rc', disagree.runPg);
    expect(r.attempts).toBe(1);
    expect(disagree.calls()).toBe(1);
    const blocked = scripted(['still-blocked', sim]);
    await expect(compareRacyAware(CALM, 'rc', blocked.runPg)).rejects.toThrow(/^step 8 \(T2: COMMIT\): session T2 is still blocked on step 5$/);
    expect(blocked.calls()).toBe(1);
  });
});
