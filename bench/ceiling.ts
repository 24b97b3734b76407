import { Worker } from 'node:worker_threads';

/**
 * The machine's own ceiling right now: a pure integer loop on one thread, then on two threads
 * at once. This machine's two vCPUs are shared with other tenants, so what two threads can get
 * changes from minute to minute; each round measures it next to the sweeps it judges.
 */
export async function ceiling(): Promise<number> {
  const code = `
    const { parentPort } = require('node:worker_threads');
    let x = 0;
    const t0 = performance.now();
    for (let i = 0; i < 2e8; i++) x = (x * 31 + i) | 0;
    parentPort.postMessage([performance.now() - t0, x & 1]);`;
  const spin = (n: number) =>
    Promise.all(
      Array.from({ length: n }, () =>
        new Promise<number>((res) => {
          const w = new Worker(code, { eval: true });
          w.once('message', (m: [number, number]) => {
            void w.terminate();
            res(m[0]);
          });
        }),
      ),
    );
  const one = (await spin(1))[0];
  const two = Math.max(...(await spin(2)));
  // Work per second: one thread does 1 unit in `one` ms, two do 2 units in `two` ms.
  return 2 / two / (1 / one);
}
