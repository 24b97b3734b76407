#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import { EXIT, OversoldError } from '../errors.js';
import { WorkerStalledError } from '../explore/pool.js';
import { tuneGcForSweeps } from '../explore/gcTuning.js';
import { relaunch, relaunchFlags } from './relaunch.js';
import { availableParallelism } from 'node:os';
import { outputWidth, type Io } from './io.js';
import type { Command } from './command.js';
import { renderHelp } from './help.js';
import { didYouMean } from '../scenario/didYouMean.js';
import { VERSION } from '../version.js';
import { runCommand, RUN_SPEC } from './commands/run.js';
import { sweepCommand, defaultWorkers, SWEEP_SPEC } from './commands/sweep.js';
import { checkCommand, CHECK_SPEC } from './commands/check.js';
import { replayCommand, REPLAY_SPEC } from './commands/replay.js';
import { mergeCommand, MERGE_SPEC } from './commands/merge.js';
import { validateCommand, schemaCommand, VALIDATE_SPEC, SCHEMA_SPEC } from './commands/scenarioTools.js';
import { demoCommand, DEMO_SPEC } from './commands/demo.js';
import { whyCommand, WHY_SPEC } from './commands/why.js';
import { exportCommand, EXPORT_SPEC } from './commands/export.js';
import { initCommand, INIT_SPEC } from './commands/init.js';

/** Every command, with its option table; each calls the same public API a library user would. */
export const COMMANDS: Record<string, Command> = {
  run: { spec: RUN_SPEC, run: runCommand },
  sweep: { spec: SWEEP_SPEC, run: sweepCommand },
  check: { spec: CHECK_SPEC, run: checkCommand },
  replay: { spec: REPLAY_SPEC, run: replayCommand },
  why: { spec: WHY_SPEC, run: whyCommand },
  export: { spec: EXPORT_SPEC, run: exportCommand },
  merge: { spec: MERGE_SPEC, run: mergeCommand },
  validate: { spec: VALIDATE_SPEC, run: validateCommand },
  schema: { spec: SCHEMA_SPEC, run: schemaCommand },
  init: { spec: INIT_SPEC, run: initCommand },
  demo: { spec: DEMO_SPEC, run: demoCommand },
};

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  return [
    'oversold: find, replay and explain the races that make an inventory service oversell',
    '',
    'usage: oversold <command> [options]   (oversold help <command>, or oversold <command> --help)',
    '',
    ...Object.entries(COMMANDS).map(([k, v]) => `  ${k.padEnd(width)}  ${v.spec.summary}`),
    '',
    'exit codes: 0 every invariant held, 1 an invariant broke, 2 bad input or usage',
  ].join('\n');
}

/** Runs the CLI; returns the exit code. Never throws for user mistakes. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    // A usage error: the usage goes where errors go.
    io.err(usage());
    return EXIT.badInput;
  }
  if (command === '--help' || command === '-h') {
    io.out(usage());
    return EXIT.ok;
  }
  if (command === 'help') return help(rest, io);
  if (command === '--version' || command === '-v') {
    io.out(`oversold ${VERSION}`);
    return EXIT.ok;
  }
  const cmd = COMMANDS[command];
  if (!cmd) {
    io.err(unknownCommand(command));
    return EXIT.badInput;
  }
  try {
    return await cmd.run(rest, io);
  } catch (e) {
    // A thread the command started for the user's strategy (a determinism re-run) was stopped
    // by the watchdog: a finding about the strategy, not a crash.
    if (e instanceof WorkerStalledError) {
      io.err(`oversold ${command}: liveness: ${e.message}${e.seed === null ? '' : ` (seed ${e.seed})`}`);
      return EXIT.violated;
    }
    if (e instanceof OversoldError) {
      io.err(`oversold ${command}: ${e.message}`);
      return e.exitCode;
    }
    // A bug in oversold itself: say so plainly; the stack only on request.
    const msg = e instanceof Error ? e.message : String(e);
    io.err(`oversold ${command}: internal error: ${msg} (please report it; set OVERSOLD_DEBUG=1 for the stack)`);
    if (io.env.OVERSOLD_DEBUG) io.err(e instanceof Error && e.stack ? e.stack : String(e));
    return EXIT.internal;
  }
}

/** `oversold help [command]`: the same text as `oversold <command> --help`. */
function help(args: readonly string[], io: Io): number {
  if (args.length === 0) {
    io.out(usage());
    return EXIT.ok;
  }
  const cmd = COMMANDS[args[0]];
  if (!cmd || args.length > 1) {
    io.err(cmd ? `oversold help takes one command, got ${args.length}: oversold help ${args[0]}` : unknownCommand(args[0]));
    return EXIT.badInput;
  }
  io.out(renderHelp(cmd.spec, outputWidth(io)));
  return EXIT.ok;
}

function unknownCommand(command: string): string {
  const names = Object.keys(COMMANDS);
  const hint = didYouMean(command, names);
  return `oversold: unknown command "${command}"${hint ? ` — ${hint}` : ''} (commands: ${names.join(', ')}; oversold --help)`;
}

export function processIo(): Io {
  return {
    out: (t) => process.stdout.write(t + '\n'),
    err: (t) => process.stderr.write(t + '\n'),
    stdoutIsTTY: !!process.stdout.isTTY,
    stderrIsTTY: !!process.stderr.isTTY,
    env: process.env,
    cwd: process.cwd(),
    ...(process.stdout.isTTY && process.stdout.columns ? { columns: process.stdout.columns } : {}),
    wallMs: () => performance.now(), // wall-clock: runs/s and ETA only
  };
}

function isEntryPoint(): boolean {
  // A worker thread sees the parent's argv: the CLI's own threads import this module too.
  if (!isMainThread) return false;
  const arg = process.argv[1];
  if (!arg) return false;
  try {
    return realpathSync(arg) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

const entryPoint = isEntryPoint();
const relaunchWith = entryPoint ? relaunchFlags(process.argv.slice(2), process.execArgv, process.env, availableParallelism(), defaultWorkers()) : null;
if (relaunchWith !== null) {
  // A sweep on every core: the same command again, in a node with per-thread GC (relaunch.ts).
  relaunch(relaunchWith, process.argv[1], process.argv.slice(2));
} else if (entryPoint) {
  // Before any simulation runs, so that no allocation site is ever pretenured (see gcTuning).
  tuneGcForSweeps();
  // Piped into `head`: a closed stdout is not an error worth a stack trace, and the exit code
  // must still be the verdict (a pipeline under `set -o pipefail` relies on it).
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
  main(process.argv.slice(2), processIo()).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`oversold: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = EXIT.internal;
    },
  );
}
