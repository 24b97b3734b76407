// The commands and the CLI's process set-up; the entry point is main.ts, which decides first
// whether a sweep relaunches itself and loads this module only when it runs here.
// First: the snapshot of the built-ins is taken before any strategy module loads.
import { builtinsChangedMessage } from '../explore/builtins.js';
import { EXIT, OversoldError, describeError } from '../errors.js';
import { exitNow } from './exit.js';
import { loadedUserModules } from '../explore/loadStrategy.js';
import { KernelAssertionError } from '../sim/assert.js';
import { WorkerStalledError } from '../explore/pool.js';
import { tuneGcForSweeps } from '../explore/gcTuning.js';
import { PARENT_PIPE_ENV, dieWithParent } from './relaunch.js';
import { outputWidth, type Io } from './io.js';
import { writeErrorText } from './outputFiles.js';
import type { Command } from './command.js';
import { renderHelp } from './help.js';
import { didYouMean } from '../scenario/didYouMean.js';
import { VERSION } from '../version.js';
import { runCommand, RUN_SPEC } from './commands/run.js';
import { sweepCommand, SWEEP_SPEC } from './commands/sweep.js';
import { checkCommand, CHECK_SPEC } from './commands/check.js';
import { replayCommand, REPLAY_SPEC } from './commands/replay.js';
import { mergeCommand, MERGE_SPEC } from './commands/merge.js';
import { validateCommand, schemaCommand, VALIDATE_SPEC, SCHEMA_SPEC } from './commands/scenarioTools.js';
import { demoCommand, DEMO_SPEC } from './commands/demo.js';
import { whyCommand, WHY_SPEC } from './commands/why.js';
import { exportCommand, EXPORT_SPEC } from './commands/export.js';
import { initCommand, INIT_SPEC } from './commands/init.js';
import { conformanceCommand, CONFORMANCE_SPEC } from './commands/conformance.js';
import { exploreCommand, EXPLORE_SPEC } from './commands/explore.js';

/** Every command, with its option table; each calls the same public API a library user would. */
export const COMMANDS: Record<string, Command> = {
  run: { spec: RUN_SPEC, run: runCommand },
  sweep: { spec: SWEEP_SPEC, run: sweepCommand },
  check: { spec: CHECK_SPEC, run: checkCommand },
  explore: { spec: EXPLORE_SPEC, run: exploreCommand },
  replay: { spec: REPLAY_SPEC, run: replayCommand },
  why: { spec: WHY_SPEC, run: whyCommand },
  export: { spec: EXPORT_SPEC, run: exportCommand },
  merge: { spec: MERGE_SPEC, run: mergeCommand },
  validate: { spec: VALIDATE_SPEC, run: validateCommand },
  schema: { spec: SCHEMA_SPEC, run: schemaCommand },
  init: { spec: INIT_SPEC, run: initCommand },
  conformance: { spec: CONFORMANCE_SPEC, run: conformanceCommand },
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
    const code = await cmd.run(rest, io);
    // A module that replaced a built-in may have changed any result printed above.
    const builtins = builtinsChangedMessage();
    if (builtins) {
      io.err(`oversold ${command}: ${builtins}`);
      return EXIT.badInput;
    }
    return code;
  } catch (e) {
    const builtins = builtinsChangedMessage();
    if (builtins) {
      io.err(`oversold ${command}: ${builtins}`);
      return EXIT.badInput;
    }
    // A thread the command started for the user's strategy (a determinism re-run) was stopped
    // by the watchdog: a finding about the strategy, not a crash.
    if (e instanceof WorkerStalledError) {
      io.err(`oversold ${command}: ${e.resource ? 'resource-limit' : 'liveness'}: ${e.message}${e.seed === null ? '' : ` (seed ${e.seed})`}`);
      return EXIT.violated;
    }
    // The kernel caught itself in an impossible state: oversold's bug, and the run is
    // deterministic, so the command that replays it is the report.
    if (e instanceof KernelAssertionError) {
      io.err(`oversold ${command}: internal error: ${e.message}${e.seed === null ? '' : ` (seed ${e.seed})`}. A bug in oversold, please report it; it replays with: npx oversold ${replayCommandFor(command, rest, e.seed)}`);
      if (io.env.OVERSOLD_DEBUG) io.err(e.stack ?? String(e));
      return EXIT.internal;
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

/**
 * The command that replays a run that broke a kernel invariant. Runs are deterministic, so the
 * same command line does; a sweep's is the one seed's run, with the sweep's scenario,
 * strategy and timing flags (its other flags do not change a run).
 */
export function replayCommandFor(command: string, argv: readonly string[], seed: number | null): string {
  const quote = (a: string) => (/^[A-Za-z0-9_./:=@%+-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  if (command !== 'sweep' || seed === null) return [command, ...argv].map(quote).join(' ');
  const keep = new Set(['--strategy', '--timing']);
  const flagsWithValue = new Set(SWEEP_SPEC.options.filter((o) => o.kind !== 'boolean').map((o) => `--${o.name}`));
  const out = ['run'];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith('--') ? a.split('=', 2) : [a, undefined];
    if (!a.startsWith('-')) out.push(a);
    else if (keep.has(flag)) out.push(flag, inline ?? argv[i + 1] ?? '');
    if (a.startsWith('--') && inline === undefined && flagsWithValue.has(flag)) i++;
  }
  out.push('--seed', String(seed));
  return out.map(quote).join(' ');
}

/**
 * stdout is the command's own output (one JSON object with --json): what a strategy prints
 * (console.log in a user module, in this thread or relayed from a watched one) goes to
 * stderr instead, so it never corrupts machine output. The CLI entry point installs this; the
 * command writes through the original.
 */
let stdoutWrite: (text: string) => boolean = (t) => process.stdout.write(t);

export function reserveStdoutForCommands(): void {
  const original = process.stdout.write.bind(process.stdout) as (text: string) => boolean;
  stdoutWrite = original;
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
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
    ownsProcess: true,
    out: (t) => stdoutWrite(t + '\n'),
    err: (t) => process.stderr.write(t + '\n'),
    stdoutIsTTY: !!process.stdout.isTTY,
    stderrIsTTY: !!process.stderr.isTTY,
    env: process.env,
    cwd: process.cwd(),
    ...(process.stdout.isTTY && process.stdout.columns ? { columns: process.stdout.columns } : {}),
    wallMs: () => performance.now(), // wall-clock: runs/s and ETA only
  };
}

/**
 * The CLI as a process: the entry point (main.ts) calls this once it has decided not to
 * relaunch. Installs the process-wide guards, runs the command, and sets the exit code.
 */
export function runAsEntryPoint(): void {
  // Before any simulation runs, so that no allocation site is ever pretenured (see gcTuning).
  tuneGcForSweeps();
  // Piped into `head`: a closed stdout is not an error worth a stack trace, and the exit code
  // must still be the verdict (a pipeline under `set -o pipefail` relies on it).
  // Any other write error (a full disk: `--json > /dev/full`) loses the output: one line and
  // exit 2, never a stack trace and never 1 (which would claim an invariant broke).
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') return;
    process.stderr.write(`oversold: cannot write to stdout (${writeErrorText(e)}): the output is lost\n`);
    exitNow(EXIT.badInput);
  });
  reserveStdoutForCommands();
  const release = process.env[PARENT_PIPE_ENV] === '1' ? dieWithParent() : () => {};
  // Node exits (with 0) when nothing is left to wait for, even while a promise is pending: a
  // strategy module whose top-level await never settles, loaded in-process (--watchdog-s 0),
  // would end the command having run nothing. That is bad input, said as such.
  let finished = false;
  process.on('beforeExit', () => {
    if (finished) return;
    finished = true;
    process.stderr.write(`oversold ${process.argv[2] ?? ''}: stopped with nothing left to run before the command finished: a strategy module whose top-level await never settles? (the watched default, without --watchdog-s 0, stops it after --load-budget-s)\n`);
    process.exitCode = EXIT.badInput;
  });
  // In-process (--watchdog-s 0, or a built-in with a user module elsewhere): an error thrown
  // from a user module's timer or an unhandled rejection is bad input, like in a watched thread.
  const asyncThrow = (e: unknown) => {
    const modules = loadedUserModules();
    if (modules.length === 0) {
      process.stderr.write(`oversold: internal error: ${describeError(e)} (please report it; set OVERSOLD_DEBUG=1 for the stack)\n`);
      if (process.env.OVERSOLD_DEBUG) process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
      exitNow(3);
    }
    process.stderr.write(`oversold ${process.argv[2] ?? ''}: strategy module ${modules.join(', ')} threw outside placeOrder and recover (from a timer or an unhandled promise rejection?): ${describeError(e)}\n`);
    exitNow(EXIT.badInput);
  };
  process.on('uncaughtException', asyncThrow);
  process.on('unhandledRejection', asyncThrow);
  // A user's module in this thread (--watchdog-s 0) that calls process.exit would end the
  // command silently with its code (0: "every invariant held"): bad input, as in a watched thread.
  process.exit = ((code?: number) => {
    const modules = loadedUserModules();
    if (finished || modules.length === 0) return exitNow(code);
    process.stderr.write(`oversold ${process.argv[2] ?? ''}: a strategy module called process.exit(${code ?? ''}) before the command finished: does ${modules.join(', ')} call process.exit?\n`);
    return exitNow(EXIT.badInput);
  }) as typeof process.exit;
  main(process.argv.slice(2), processIo()).then(
    (code) => {
      finished = true;
      release();
      process.exitCode = code;
    },
    (e) => {
      finished = true;
      release();
      process.stderr.write(`oversold: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = EXIT.internal;
    },
  );
}
