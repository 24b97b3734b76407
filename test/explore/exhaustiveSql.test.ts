// oversold explore over SQL (issue 16, last point): on a tiny SQL scenario the guarded
// `UPDATE ... WHERE stock >= $1` is exhausted with no violation, and read-then-write's lost
// update is found, confirmed under the windowed model, and is the race (both orders placed,
// no statement or client timeout in the run), not a timeout.
import { beforeAll, describe, expect, it } from 'vitest';
import { exploreStrategy, loadScenario, replayRun, searchSchedules, STRATEGIES, formatProblem, type Scenario } from '../../src/index.js';
import { loadSqlParser } from '../../src/inventory/sql/parse.js';
import { cli } from '../helpers/cli.js';
import { finalStateLines } from '../../src/explore/exhaustive/finalState.js';

beforeAll(() => loadSqlParser());

function scenario(path: string): Scenario {
  const r = loadScenario(path);
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  return r.scenario;
}

const small = scenario('scenarios/sql-explore-small.json');
const strategy = (name: string) => STRATEGIES.get(name)!;

describe('explore on sql-explore-small.json', () => {
  it('sql-guarded-decrement: exhausted, 0 violations, the proof names the SQL scenario', () => {
    const r = exploreStrategy(small, strategy('sql-guarded-decrement'));
    expect(r.violations).toEqual([]);
    expect(r.search.exhausted).toBe(true);
    expect(r.search.boundedBy).toBe(null);
    // Both orders of the two UPDATEs at the sql node were explored: o1 wins, or o2 wins.
    expect(r.search.finalStates.length).toBe(2);
    expect(r.proof.statement).toContain('every schedule of sql-explore-small (strategy sql-guarded-decrement)');
    expect(r.proof.statement).toContain('holds every invariant');
  });

  it('sql-guarded-decrement without reduction: the same verdict and final states, more executions', () => {
    const dpor = searchSchedules(small, strategy('sql-guarded-decrement'), {});
    const full = searchSchedules(small, strategy('sql-guarded-decrement'), { reduction: false });
    expect(full.exhausted && dpor.exhausted).toBe(true);
    expect([...full.finalStates].sort()).toEqual([...dpor.finalStates].sort());
    expect(full.found).toBe(null);
    expect(dpor.found).toBe(null);
    expect(full.executions).toBeGreaterThan(dpor.executions);
  });

  it('a final state holds the committed SQL rows: the lost update leaves stock 0 with two orders placed', () => {
    const r = exploreStrategy(small, strategy('sql-read-then-write'));
    const lines = finalStateLines(replayRun(r.replay!, strategy('sql-read-then-write')).run.world);
    expect(lines).toContain('row items {"id":"vase","stock":0}');
    expect(lines.filter((l) => l.startsWith('order ') && l.endsWith('ORDER_PLACED'))).toHaveLength(2);
  });

  it('sql-read-then-write: finds the oversell, confirmed, the race itself (both placed, no timeout), and the replay reproduces it', () => {
    const r = exploreStrategy(small, strategy('sql-read-then-write'));
    expect(r.confirmed).toBe(true);
    expect(r.violations.map((v) => v.invariant)).toEqual(expect.arrayContaining(['no-oversell', 'unique-units']));
    expect(r.replay).not.toBeNull();
    const again = replayRun(r.replay!, strategy('sql-read-then-write'), { keepTrace: true });
    expect(again.matchesRecording).toBe(true);
    const run = again.run;
    expect(run.violations.map((v) => v.invariant)).toContain('no-oversell');
    // The lost update, not a timeout: both orders were told ORDER_PLACED and no timer of an
    // unanswered rpc, nor a statement_timeout / lock_timeout, fired in the run.
    expect(run.orderRecords.map((o) => o.answer)).toEqual(['ORDER_PLACED', 'ORDER_PLACED']);
    const trace = run.trace!;
    expect(trace.filter((e) => e.type === 'timeout')).toEqual([]);
    const statements = trace.filter((e) => e.type === 'domain' && e.what === 'sql:statement');
    expect(statements.length).toBeGreaterThanOrEqual(6);
    // Every statement succeeded: no 57014 (statement_timeout), 55P03 (lock_timeout) or 40P01.
    expect(statements.filter((e) => e.type === 'domain' && 'error' in e.data)).toEqual([]);
  });
});

describe('oversold explore on a SQL scenario (dist/)', () => {
  it('the scenario\'s own strategy (sql-guarded-decrement): exit 0, exhausted; sql-read-then-write: exit 1, confirmed, and replay reproduces it', async () => {
    const proved = await cli(['explore', 'scenarios/sql-explore-small.json', '--json']);
    expect(proved.code, proved.stderr).toBe(0);
    expect(JSON.parse(proved.stdout)).toMatchObject({ exhausted: true, bounded: false, violations: [] });
    const found = await cli(['explore', 'scenarios/sql-explore-small.json', '--strategy', 'sql-read-then-write', '--json', '--replay-file', '.oversold/test-explore/sql-read-then-write.json']);
    expect(found.code, found.stderr).toBe(1);
    const j = JSON.parse(found.stdout);
    expect(j.confirmed).toBe(true);
    const rep = await cli(['replay', j.replayFile, '--json']);
    expect(JSON.parse(rep.stdout).matchesRecording).toBe(true);
    expect(rep.code).toBe(1);
  });
});
