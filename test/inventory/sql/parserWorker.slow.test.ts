import { Worker } from 'node:worker_threads';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../helpers/scenarios.js';

describe('the SQL parser', () => {
  it('loads and parses in a worker thread (sweeps run strategies on workers)', async () => {
    const worker = new Worker(resolve(ROOT, 'test/fixtures/sql-parser-worker.mjs'), {
      workerData: { sql: 'UPDATE items SET stock = stock - 1 WHERE id = $1 AND stock >= 1' },
    });
    const kind = await new Promise((ok, fail) => {
      worker.once('message', ok);
      worker.once('error', fail);
    });
    await worker.terminate();
    expect(kind).toBe('UpdateStmt');
  });
});
