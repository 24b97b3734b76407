import { describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { ROOT } from '../helpers/scenarios.js';

describe("the library in a user's own worker thread", () => {
  it('installs no parentPort handler: the thread answers nothing and ends when its script does', async () => {
    const lib = pathToFileURL(resolve(ROOT, 'dist/index.js')).href;
    // The user's worker imports oversold (which imports the sim worker module) and then has nothing left to do.
    const w = new Worker(`import(${JSON.stringify(lib)}).then(() => require('node:worker_threads').parentPort.postMessage('loaded'));`, { eval: true, workerData: { mine: true } });
    const replies: unknown[] = [];
    const exited = new Promise<number>((done) => w.on('exit', done));
    w.on('message', (m) => {
      replies.push(m);
      // What oversold's own threads would answer with an error reply.
      if (m === 'loaded') w.postMessage({ kind: 'run', id: 1, strategy: 'naive', cwd: ROOT });
    });
    const result = await Promise.race([exited, new Promise<string>((done) => setTimeout(() => done('still alive'), 10_000))]);
    if (result === 'still alive') await w.terminate();
    expect(result).toBe(0);
    expect(replies).toEqual(['loaded']);
  });
});
