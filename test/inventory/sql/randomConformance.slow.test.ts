import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSqlParser } from '../../../src/inventory/sql/parse.js';
import { compareWithPostgres } from '../../../src/inventory/sql/pg/conformance.js';
import { runScheduleSim } from '../../../src/inventory/sql/schedule.js';
import { PgConnections } from '../../../src/inventory/sql/pg/runSchedulePg.js';
import { LEVEL_NAMES, LEVELS } from '../../../src/inventory/sql/hermitage.js';
import { startTestPostgres, type TestPostgres } from '../../helpers/postgres.js';
import { randomSchedule } from './randomSchedules.js';

/**
 * Random schedules (2-3 transactions of random reads, locks, inserts, updates and deletes on
 * a small table, interleaved as the simulator lets them run) on the simulator and on a real
 * PostgreSQL. Fixed seeds, so a disagreement is reproducible: the message prints the schedule.
 * Schedules where one transaction's end wakes two waiting statements are left out (`racy`):
 * PostgreSQL wakes them together and which one reaches a shared row first varies by run.
 */
const PER_LEVEL = Number(process.env.OVERSOLD_SQL_RANDOM_SCHEDULES ?? 40);
const SEED = Number(process.env.OVERSOLD_SQL_RANDOM_SEED ?? 2026);

let server: TestPostgres | undefined;
let why = '';
let conns: PgConnections | undefined;

beforeAll(async () => {
  await loadSqlParser();
  const s = await startTestPostgres();
  if ('error' in s) {
    why = s.error;
    if (process.env.CI === 'true') throw new Error(`PostgreSQL could not start under CI: ${s.error}`);
    return;
  }
  server = s;
  conns = new PgConnections(s.url);
}, 120_000);

afterAll(async () => {
  await conns?.close();
  server?.stop();
});

describe('random schedules agree with a real PostgreSQL', () => {
  for (const level of LEVELS) {
    it(`${PER_LEVEL} random schedules at ${LEVEL_NAMES[level]} (seed ${SEED})`, async (ctx) => {
      if (!server) return ctx.skip(why);
      const problems: string[] = [];
      const schedules = fc.sample(randomSchedule(LEVEL_NAMES[level]), { numRuns: PER_LEVEL, seed: SEED }).filter((s) => !runScheduleSim(s).racy);
      expect(schedules.length).toBeGreaterThan(PER_LEVEL / 2);
      for (const schedule of schedules) {
        const shown = JSON.stringify(schedule.steps.map((s) => [s.session, s.sql, ...(s.params ?? [])]));
        try {
          const r = await compareWithPostgres(schedule, level, { connectionString: server.url, connections: conns });
          if (r.disagreements.length > 0) problems.push(`${shown}\n  ${JSON.stringify(r.disagreements)}`);
        } catch (e) {
          problems.push(`${shown}\n  threw: ${(e as Error).message}`);
        }
      }
      expect(problems).toEqual([]);
    }, 300_000);
  }
});
