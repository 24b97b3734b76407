import { beforeAll, describe, expect, it } from 'vitest';
import { checkHermitage, HERMITAGE, hermitageSchedule, LEVEL_NAMES, LEVELS } from '../../../src/inventory/sql/hermitage.js';
import { loadSqlParser } from '../../../src/inventory/sql/parse.js';
import { runScheduleSim } from '../../../src/inventory/sql/schedule.js';

beforeAll(() => loadSqlParser());

describe("Hermitage: the simulated engine matches PostgreSQL's column", () => {
  for (const c of HERMITAGE) {
    for (const level of LEVELS) {
      it(`${c.name} (${c.anomaly}) at ${LEVEL_NAMES[level]}`, () => {
        const outcome = runScheduleSim(hermitageSchedule(c, level));
        expect(checkHermitage(c, level, outcome)).toEqual([]);
      });
    }
  }

  it('covers every anomaly of the PostgreSQL column', () => {
    const names = HERMITAGE.map((c) => c.name);
    for (const a of ['G0', 'G1a', 'G1b', 'G1c', 'OTV', 'PMP', 'P4', 'G-single', 'G2-item', 'G2']) expect(names).toContain(a);
  });
});
