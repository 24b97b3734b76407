import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RunResult } from '../explore/run.js';
import { explainViolations, type Explanation } from '../report/explain.js';
import { htmlInputFromRun, renderHtmlReport } from '../report/html.js';
import { formatTimeline } from '../report/timeline.js';
import { colorsFor } from '../report/colors.js';
import type { OptionDef } from './options.js';
import type { Values } from './args.js';
import { outputWidth, type Io } from './io.js';
import { EXIT, InputError, OversoldError } from '../errors.js';

/**
 * The picture flags shared by `run`, `replay` and `check`: `--timeline` (terminal space-time
 * diagram) and `--html FILE` (self-contained HTML report). Commands spread the options into
 * their parser and call `emitReports` with the finished run.
 */
export const REPORT_OPTIONS: readonly OptionDef[] = [
  { name: 'timeline', kind: 'boolean', help: 'print a space-time diagram of the run (as wide as the terminal, else 100 columns)' },
  { name: 'html', kind: 'string', value: 'FILE', help: 'write a self-contained HTML report (open it in any browser)' },
];

/** Whether the run must keep its trace for the flags given. */
export function reportsNeedTrace(values: Values): boolean {
  return values.timeline === true || typeof values.html === 'string';
}

/**
 * A run with its trace: the run itself if it kept one, otherwise `rerun()` (same inputs, so
 * the same run: determinism makes a second pass the cheap way to get a trace on demand).
 */
export function withTrace(r: RunResult, rerun: () => RunResult): RunResult {
  if (r.trace !== null) return r;
  const again = rerun();
  if (again.traceHash !== r.traceHash) {
    // A finding about the strategy (it reads ambient state), not a crash of oversold.
    throw new OversoldError(`re-running the same seed gave another trace (${again.traceHash} vs ${r.traceHash}): the strategy is not deterministic (run --check-determinism names the first diverging event)`, 'NONDETERMINISTIC', EXIT.violated);
  }
  return again;
}

/** Explanations of a run's violations (none for an OK run), re-running once for the trace if needed. */
export function explainRun(r: RunResult, rerun: () => RunResult): { run: RunResult; explanations: Explanation[] } {
  if (r.violations.length === 0) return { run: r, explanations: [] };
  const run = withTrace(r, rerun);
  return { run, explanations: explainViolations(run.violations, run.trace!) };
}

/**
 * Prints the timeline and writes the HTML report the flags ask for. With `--json` the
 * timeline goes to stderr so stdout stays one JSON object.
 */
export function emitReports(r: RunResult, explanations: readonly Explanation[], values: Values, io: Io, replay: string): { html: string | null } {
  if (values.timeline === true) {
    if (r.trace === null) throw new Error('emitReports: --timeline needs the trace');
    const toErr = values.json === true;
    const colors = colorsFor({ isTTY: toErr ? io.stderrIsTTY : io.stdoutIsTTY }, io.env);
    const width = toErr ? undefined : outputWidth(io);
    const text = formatTimeline(r.trace, { colors, explanations, violatingOrders: r.violations.flatMap((v) => v.orders), ...(width ? { width } : {}) });
    if (toErr) io.err(text);
    else io.out(text);
  }
  if (typeof values.html !== 'string') return { html: null };
  if (r.trace === null) throw new Error('emitReports: --html needs the trace');
  const file = resolve(io.cwd, values.html);
  const html = renderHtmlReport({ ...htmlInputFromRun(r, replay), explanations });
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, html);
  } catch (e) {
    throw new InputError(`--html ${values.html}: cannot write it (${(e as { code?: string }).code ?? String(e)})`, 'CANNOT_WRITE');
  }
  if (values.json !== true) io.out(`html     ${pathToFileURL(file).href}  (open it in a browser)`);
  return { html: file };
}
