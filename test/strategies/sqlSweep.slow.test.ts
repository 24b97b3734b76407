// The test of sql.test.ts that starts worker threads (a sweep): the fast tier starts none
// (test/setup/fastTier.ts, docs/testing.md), so it runs here, in the slow tier.
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

describe('the SQL server node', () => {
  it('met in the middle of a sweep, SQL outside the subset stops it: exit 2 naming the seed and the statement', async () => {
    const r = await cli(['sweep', 'sql-guarded-decrement', '--strategy', 'test/fixtures/sql-join-strategy.mjs', '--seeds', '3', '--trust']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/seed \d+: JOIN is not in oversold's SQL subset: "SELECT \* FROM items a JOIN items b ON a.id = b.id" \(sent by o5\)/);
  });
});
