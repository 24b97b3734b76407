import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Heartbeat, PHASE, watchStrategy, type Phase } from '../explore/worker.js';
import { StallDetector, USER_THREAD_HEAP_MB, WorkerStalledError, isOutOfMemory, stallError, type StopKind, type Watchdog } from '../explore/pool.js';
import type { Strategy } from '../inventory/strategy.js';
import { EXIT, InputError, describeError } from '../errors.js';
import { exitNow } from './exit.js';
import { STOP_SIGNALS, signalExitCode } from './signals.js';
import type { Io } from './io.js';
import type { WatchLimits } from './watchdog.js';

/**
 * Runs a whole command (run, replay, check) in a worker thread under a watchdog, when its
 * strategy is a user's module. The command is the same code with the same arguments; its
 * output comes back line by line, so a run that finishes prints exactly what it prints
 * in-process (same seed, same run, same output). Only user code runs in that thread's
 * synchronous stretches, so if the thread shows no sign of life for the watchdog's limit
 * (src/explore/worker.ts Heartbeat: every strategy step beats, and the thread answers pings
 * whenever its event loop is free), the strategy is looping without yielding: the thread is
 * terminated and `onStall` prints the finding in the command's own output shape.
 *
 * Why the whole command rather than a probe run first: the strategy module is loaded once
 * (tsx costs more than the run), nothing of the user's runs in this thread, and every later
 * run of the command (explanations, shrinking, a determinism re-run) is watched too.
 */
export interface Stall {
  readonly phase: Phase;
  /** stallMessage() for the phase, e.g. "placeOrder ran for 30 s of wall-clock time ...". */
  readonly message: string;
  /** The strategy's name once its module loaded, else the module's file name. */
  readonly strategyName: string;
  /** Simulation runs the command had started (the last one is the one stopped). */
  readonly runs: number;
  /** A wall-clock budget ran out: a resource stop (it depends on the machine), not a liveness finding. */
  readonly resource?: boolean;
}

type FromWorker =
  /** The command's lines (out, err), its progress line (raw), and what user code printed (stdout, stderr). */
  | { readonly kind: 'out' | 'err' | 'raw' | 'stdout' | 'stderr'; readonly text: string }
  | { readonly kind: 'strategy'; readonly name: string }
  | { readonly kind: 'done'; readonly code: number };

/** What the command worker is started with (src/cli/commandWorker.ts). */
export interface CommandWorkerData {
  readonly oversold: 'cli-command';
  readonly command: string;
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: Record<string, string | undefined>;
  readonly stdoutIsTTY: boolean;
  readonly columns?: number;
  readonly stderrIsTTY: boolean;
  readonly heartbeat: SharedArrayBuffer;
  /** --watchdog-s and the budgets, for the threads the command starts itself (a determinism re-run). */
  readonly limits: WatchLimits;
}

function commandWorkerUrl(): URL {
  const here = new URL('./commandWorker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  const built = new URL('../../dist/cli/commandWorker.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return built;
  throw new Error('the watchdog needs the compiled command worker (dist/cli/commandWorker.js): run `npm run build` first');
}

export async function runIsolated(
  command: string,
  argv: readonly string[],
  io: Io,
  watchdog: Watchdog,
  limits: WatchLimits,
  strategyRef: string,
  onStall: (s: Stall) => number,
  opts: IsolateOptions = {},
): Promise<number> {
  const heartbeat = new Heartbeat();
  // Loading until the command announces its strategy (watched()).
  heartbeat.enter(PHASE.loading);
  const data: CommandWorkerData = {
    oversold: 'cli-command',
    command,
    argv: [...argv],
    cwd: io.cwd,
    env: { ...io.env },
    stdoutIsTTY: io.stdoutIsTTY,
    ...(io.columns ? { columns: io.columns } : {}),
    stderrIsTTY: io.stderrIsTTY,
    heartbeat: heartbeat.buffer,
    limits,
  };
  // The thread's heap: the scenario's share plus what the strategy may keep (heapMbPerThread),
  // so a strategy is never blamed for the simulator's own memory.
  const heapMb = opts.heapMb ?? (opts.userCode === false ? undefined : USER_THREAD_HEAP_MB);
  const worker = new Worker(commandWorkerUrl(), { workerData: data, ...(heapMb === undefined ? {} : { resourceLimits: { maxOldGenerationSizeMb: heapMb } }) });
  // A signal asks the command to stop and print what it has (the thread polls the heartbeat);
  // a second one means "now".
  let signalled: NodeJS.Signals | null = null;
  const onSignal = (sig: NodeJS.Signals) => {
    if (signalled) exitNow(signalExitCode(signalled));
    signalled = sig;
    heartbeat.requestStop();
  };
  const signals = opts.stopSignals ? STOP_SIGNALS : [];
  for (const sig of signals) process.on(sig, onSignal);
  const detector = new StallDetector(heartbeat, watchdog.stallTicks, watchdog);
  detector.reset();
  const errRaw = io.errRaw ?? ((t: string) => void process.stderr.write(t));
  let strategyName = basename(strategyRef);
  let progressShown = false;
  let stopTicks = () => {};
  try {
    return await new Promise<number>((resolve, reject) => {
      let settled = false;
      const settle = (f: () => void) => {
        if (settled) return;
        settled = true;
        stopTicks();
        f();
      };
      // The watchdog (or the heap limit) stopped the thread: bad input while loading, else a finding.
      const stopped = (outOfMemory: boolean, kind: StopKind = 'stall') => {
        if (progressShown) errRaw('\r\x1b[2K');
        const e = stallError(heartbeat, watchdog, strategyRef, command === 'check' ? 'check' : 'run', outOfMemory, kind);
        if (e instanceof WorkerStalledError) resolve(onStall({ phase: e.phase, message: e.message, strategyName, runs: heartbeat.runs(), resource: e.resource }));
        else reject(new InputError(e.message, 'STRATEGY_LOAD_STALLED'));
      };
      worker.on('message', (m: FromWorker) => {
        if (settled) return;
        if (m.kind === 'out') io.out(m.text);
        else if (m.kind === 'err') io.err(m.text);
        else if (m.kind === 'raw') {
          errRaw(m.text);
          progressShown = !m.text.endsWith('\x1b[2K');
        } else if (m.kind === 'stdout') process.stdout.write(m.text);
        else if (m.kind === 'stderr') process.stderr.write(m.text);
        else if (m.kind === 'strategy') strategyName = m.name;
        else if (m.kind === 'done') settle(() => resolve(signalled && (m.code === EXIT.ok || m.code === EXIT.violated) ? signalExitCode(signalled) : m.code));
      });
      worker.on('error', (e) => {
        if (isOutOfMemory(e)) settle(() => stopped(true));
        // The command itself catches its own errors (commandWorker.ts): what escapes is user
        // code thrown from a timer or an unhandled rejection (at load, or later).
        else settle(() => reject(new InputError(isolatedThrowMessage(strategyRef, e), 'STRATEGY_ASYNC_THROW')));
      });
      // Only user code ends the thread early (process.exit in a strategy module).
      worker.on('exit', (code) => settle(() => reject(new InputError(`the strategy's thread exited (code ${code}) before the command finished: does ${strategyRef} call process.exit?`, 'STRATEGY_EXITED'))));
      stopTicks = watchdog.every(() => {
        if (settled) return;
        const kind = detector.tick();
        if (kind === null) {
          worker.postMessage({ kind: 'ping' });
          return;
        }
        settle(() => stopped(false, kind));
      });
    });
  } finally {
    for (const sig of signals) process.off(sig, onSignal);
    stopTicks();
    await worker.terminate();
  }
}

export interface IsolateOptions {
  /** The thread runs a user's module: give it the user-code heap limit (default true). */
  readonly userCode?: boolean;
  /** SIGINT, SIGTERM and SIGHUP ask the command to stop and print what it has (check). */
  readonly stopSignals?: boolean;
  /** The thread's heap limit in MB (heapMbPerThread of the command's scenario). */
  readonly heapMb?: number;
}

/**
 * The strategy as a command should run it. In an isolated command: watched (every step
 * beats, each new run is counted) and announced to the parent. Otherwise unchanged, unless
 * `onRun` wants to hear of each run (check's progress line).
 */
export function watched(strategy: Strategy, io: Io, onRun?: () => void): Strategy {
  const iso = io.isolated;
  if (!iso) return onRun ? watchStrategy(strategy, null, onRun) : strategy;
  iso.strategyLoaded(strategy.name);
  iso.heartbeat.enter(PHASE.simulator);
  return watchStrategy(strategy, iso.heartbeat, () => {
    iso.heartbeat.runStarted(null);
    onRun?.();
  });
}

function isolatedThrowMessage(strategyRef: string, e: unknown): string {
  return `strategy module ${strategyRef} threw outside placeOrder and recover (from a timer or an unhandled promise rejection?): ${describeError(e)}`;
}
