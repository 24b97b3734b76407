// `oversold conformance --pg <url>` against a throw-away PostgreSQL: every case agrees (exit 0),
// JSON and JUnit come out, and a server that cannot be reached is bad input (exit 2).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres.js';
import { cli } from '../helpers/cli.js';

let server: TestPostgres | undefined;
let why = '';

beforeAll(async () => {
  const s = await startTestPostgres();
  if ('error' in s) {
    why = s.error;
    if (process.env.CI === 'true') throw new Error(`PostgreSQL could not start under CI: ${s.error}`);
    return;
  }
  server = s;
}, 300_000);

afterAll(() => server?.stop());

describe('oversold conformance --pg', () => {
  it('runs Hermitage and the SQL strategies\' cases at READ COMMITTED and REPEATABLE READ: zero disagreements, exit 0', async (ctx) => {
    if (!server) return ctx.skip(why);
    const dir = mkdtempSync(join(tmpdir(), 'oversold-conf-'));
    try {
      const r = await cli(['conformance', '--pg', server.url, '--level', 'rc', '--level', 'rr', '--reporter', `junit=${join(dir, 'j.xml')}`]);
      expect(r.stdout).toContain('0 disagreements with PostgreSQL');
      expect(r.stdout).toMatch(/agree +read committed +guarded-decrement/);
      expect(r.code).toBe(0);
      expect(readFileSync(join(dir, 'j.xml'), 'utf8')).toContain('read-then-write (rr)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);

  it('--json at SERIALIZABLE for the strategies\' cases', async (ctx) => {
    if (!server) return ctx.skip(why);
    const r = await cli(['conformance', '--pg', server.url, '--level', 'ser', '--case', 'decrement', '--json']);
    const out = JSON.parse(r.stdout) as { disagreements: number; cases: Array<{ name: string }> };
    expect(out.disagreements).toBe(0);
    expect(out.cases.map((c) => c.name)).toContain('guarded-decrement');
    expect(r.code).toBe(0);
  }, 300_000);

  it('a server that cannot be reached is one line, exit 2', async () => {
    const r = await cli(['conformance', '--pg', 'postgres://postgres@127.0.0.1:1/none', '--case', 'guarded-decrement', '--level', 'rc']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot use the PostgreSQL at postgres:\/\/postgres@127.0.0.1:1\/none/);
  }, 60_000);

  it('needs --pg', async () => {
    const r = await cli(['conformance']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('conformance needs --pg <url>');
  });
});
