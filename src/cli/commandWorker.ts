import { parentPort, workerData } from 'node:worker_threads';
import type { CommandWorkerData } from './isolate.js';
import type { Io } from './io.js';
import { EXIT } from '../errors.js';

/**
 * Worker-thread entry of an isolated command (src/cli/isolate.ts): runs `oversold <command>
 * <argv>` with an Io that posts every line to the parent, and counts signs of life on the
 * shared heartbeat for the parent's watchdog.
 */
const d = workerData as CommandWorkerData | null;

if (parentPort && d?.oversold === 'cli-command') {
  const port = parentPort;
  // Pings are answered from the first moment, before the command's modules load (Heartbeat
  // layout: Int32 [0] is the beat count; src/explore/worker.ts).
  const beats = new Int32Array(d.heartbeat, 0, 1);
  port.on('message', (m: { kind?: string }) => {
    if (m?.kind === 'ping') Atomics.add(beats, 0, 1);
  });
  // What the user's code prints (console.log in a strategy) goes through the same port as the
  // command's own lines: in order with them, and none lost when the thread is stopped.
  process.stdout.write = relayTo(port, 'stdout');
  process.stderr.write = relayTo(port, 'stderr');
  void start(port, d);
}

function relayTo(port: NonNullable<typeof parentPort>, kind: 'stdout' | 'stderr'): typeof process.stdout.write {
  return ((chunk: string | Uint8Array, encoding?: BufferEncoding | ((e?: Error | null) => void), cb?: (e?: Error | null) => void) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString(typeof encoding === 'string' ? encoding : 'utf8');
    port.postMessage({ kind, text });
    const done = typeof encoding === 'function' ? encoding : cb;
    if (done) process.nextTick(done);
    return true;
  }) as typeof process.stdout.write;
}

async function start(port: NonNullable<typeof parentPort>, d: CommandWorkerData): Promise<void> {
  const [{ Heartbeat, PHASE }, { setDefaultWatchdog }, { wallClockWatchdog }, { main }] = await Promise.all([
    import('../explore/worker.js'),
    import('../explore/pool.js'),
    import('./watchdog.js'),
    import('./cli.js'),
  ]);
  const heartbeat = new Heartbeat(d.heartbeat);
  // Until the command announces its strategy, the thread is (as far as the watchdog can
  // tell) loading it: a stall now is a module that loops at its top level.
  heartbeat.enter(PHASE.loading);
  // Threads this command starts itself (a determinism re-run) are watched from here.
  setDefaultWatchdog(wallClockWatchdog(d.limits.watchdogS, d.limits));
  const io: Io = {
    out: (text) => port.postMessage({ kind: 'out', text }),
    err: (text) => port.postMessage({ kind: 'err', text }),
    errRaw: (text) => port.postMessage({ kind: 'raw', text }),
    stdoutIsTTY: d.stdoutIsTTY,
    ...(d.columns ? { columns: d.columns } : {}),
    stderrIsTTY: d.stderrIsTTY,
    env: d.env,
    cwd: d.cwd,
    wallMs: () => performance.now(), // wall-clock: runs/s and ETA only
    isolated: { heartbeat, strategyLoaded: (name) => port.postMessage({ kind: 'strategy', name }) },
  };
  let code: number;
  try {
    code = await main([d.command, ...d.argv], io);
  } catch (e) {
    io.err(`oversold ${d.command}: internal error: ${e instanceof Error ? e.message : String(e)}`);
    code = EXIT.internal;
  }
  port.postMessage({ kind: 'done', code });
}
