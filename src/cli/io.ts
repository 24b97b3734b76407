import { loadScenario, formatProblem, type Scenario } from '../scenario/index.js';
import { InputError } from '../errors.js';
import type { Heartbeat } from '../explore/worker.js';
import { legacyStepProblems } from '../explore/legacySteps.js';

/** What every command writes to: injectable, so tests can run commands in-process. */
export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** The terminal's width when stdout is one (process.stdout.columns); undefined otherwise. */
  readonly columns?: number;
  /** wall-clock: for runs/s and ETA only, never for simulation decisions. */
  readonly wallMs: () => number;
  /**
   * This Io is the process's own (the CLI entry point): signals sent to the process are the
   * command's to handle. An Io of a test or an embedding program leaves that to its owner.
   */
  readonly ownsProcess?: boolean;
  /** Stderr without a newline (the progress line). Default: process.stderr. */
  readonly errRaw?: (text: string) => void;
  /**
   * Set when the command runs isolated in a watched worker thread (src/cli/isolate.ts): the
   * thread's heartbeat, and how to tell the parent which strategy loaded.
   */
  readonly isolated?: {
    readonly heartbeat: Heartbeat;
    strategyLoaded(name: string): void;
  };
}

/** Output is wrapped to this many columns: the terminal's width, else 100 (piped, files, CI logs). */
export function outputWidth(io: Pick<Io, 'stdoutIsTTY' | 'columns'>): number {
  if (!io.stdoutIsTTY || !io.columns || !Number.isFinite(io.columns)) return 100;
  return Math.max(40, Math.min(400, Math.floor(io.columns)));
}

/**
 * Loads a scenario (a path relative to `cwd`, or a built-in's name) or throws an InputError whose
 * message is one line per problem (at most 5).
 */
export function loadScenarioOrFail(path: string, cwd: string = process.cwd()): Scenario {
  const r = loadScenario(path, cwd);
  if (r.ok) return r.scenario;
  // An old `nth` step: say which step by origin means the same message at the file's seed.
  const problems = legacyStepProblems(path, undefined, cwd) ?? r.problems;
  const shown = problems.slice(0, 5).map(formatProblem);
  if (problems.length > 5) shown.push(`… and ${problems.length - 5} more problems (oversold validate ${path})`);
  throw new InputError(shown.join('\n'), 'INVALID_SCENARIO');
}
