import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { exitNow } from './exit.js';
import { EXIT } from '../errors.js';

/**
 * A sweep that puts a simulation thread on every core runs faster with V8's garbage collector
 * on each thread's own core (--single-threaded-gc). By default V8 hands parts of every GC to
 * helper threads; with one worker they use the idle core for free, but when every core runs a
 * worker, a GC waits for helpers that are queued behind the other worker, and each worker
 * slows the other down. Measured on the 2-vCPU machine (docs/benchmarks.md, "Sweep
 * throughput"): 2 workers do 5-12 % more runs per second with the flag. The flag is
 * process-wide and V8 only reads it at start-up (setting it later crashed V8), so the CLI
 * starts itself again with it: one extra Node start-up (~50 ms) for a sweep.
 */
export const SWEEP_GC_FLAG = '--single-threaded-gc';

/** The node flags to relaunch `argv` with, or null to run it in this process. */
export function relaunchFlags(
  argv: readonly string[],
  execArgv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  cores: number,
  defaultWorkers: number,
): string[] | null {
  if (argv[0] !== 'sweep' || env.OVERSOLD_V8_DEFAULTS === '1') return null;
  if (execArgv.some((a) => a === SWEEP_GC_FLAG || a === '--single-threaded')) return null;
  if (argv.includes('--help') || argv.includes('-h')) return null;
  const workers = workersFlag(argv) ?? defaultWorkers;
  // A bad --workers value is reported by the sweep itself, in this process.
  if (!Number.isInteger(workers) || workers < 2 || workers < cores) return null;
  return [...execArgv, SWEEP_GC_FLAG];
}

function workersFlag(argv: readonly string[]): number | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--workers') return Number(argv[i + 1]);
    if (a.startsWith('--workers=')) return Number(a.slice('--workers='.length));
  }
  return undefined;
}

/**
 * Runs `script argv` in a child node with `flags` and mirrors it: the same stdout and stderr,
 * every SIGINT/SIGTERM/SIGHUP passed on exactly once (the child has its own process group, so
 * a Ctrl-C at the terminal reaches it only through this process: a second Ctrl-C still means
 * "stop now"), and its exit code as ours.
 */
export function relaunch(flags: readonly string[], script: string, argv: readonly string[]): void {
  // The child's stdin is a pipe this process holds and never writes: when this process dies
  // (even by kill -9), the child reads end-of-file and exits without writing (dieWithParent).
  const child = spawn(process.execPath, [...flags, script, ...argv], { stdio: ['pipe', 'inherit', 'inherit'], detached: true, env: { ...process.env, [PARENT_PIPE_ENV]: '1' } });
  child.stdin?.on('error', () => {});
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const forward = (s: NodeJS.Signals) => child.kill(s);
  for (const s of signals) process.on(s, forward);
  child.on('error', (e) => {
    process.stderr.write(`oversold: could not start ${process.execPath} ${flags.join(' ')}: ${e.message} (set OVERSOLD_V8_DEFAULTS=1 to run without it)\n`);
    process.exitCode = EXIT.internal;
  });
  child.on('exit', (code, signal) => {
    for (const s of signals) process.off(s, forward);
    child.stdin?.destroy();
    process.exitCode = code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0);
  });
}

/** Set in the relaunched child's environment: its stdin is the parent's lifeline. */
export const PARENT_PIPE_ENV = 'OVERSOLD_PARENT_PIPE';

/** How the relaunched child exits when its parent is gone (128 + SIGHUP: its terminal hung up). */
export const PARENT_GONE_EXIT = 129;

/**
 * In the relaunched child: exit at once, printing nothing, when the parent's pipe reaches
 * end-of-file (Node has no parent-death signal; a parent killed with -9 closes its end of
 * the pipe all the same). The caller already saw the parent's exit code; a result written
 * later (into a file the caller has moved on from) would be worse than none. Returns the
 * release to call once the command finished, so stdin does not keep the process alive.
 */
export function dieWithParent(): () => void {
  const stdin = process.stdin;
  const gone = () => exitNow(PARENT_GONE_EXIT);
  stdin.on('end', gone);
  stdin.on('close', gone);
  stdin.on('error', gone);
  stdin.resume();
  return () => {
    stdin.off('end', gone);
    stdin.off('close', gone);
    stdin.off('error', gone);
    stdin.destroy();
  };
}
