// The friendly loader: text or file in, a resolved Scenario or a list of one-line problems
// out. It never throws: every hostile input (not JSON, too big, too deep, wrong types,
// prototype keys) becomes a problem that names the place and the fix.
import { Buffer } from 'node:buffer';
import { closeSync, constants, openSync, readSync, statSync } from 'node:fs';
import { draftsFromIssues, type ProblemDraft } from './issues.js';
import { findJsonSyntaxError, lineColumnAt } from './jsonSyntax.js';
import { locateJsonPath } from './jsonLocate.js';
import { LIMITS } from './limits.js';
import type { ScenarioProblem } from './problem.js';
import { pathText } from './report.js';
import { FALLBACK_SCENARIO_NAME } from './resolve.js';
import { type Scenario, scenarioSchema } from './schema.js';

export type ScenarioResult = { ok: true; scenario: Scenario } | { ok: false; problems: ScenarioProblem[] };

type FileProblem = Omit<ScenarioProblem, 'file' | 'path'>;

const FILE_SIZE_EXPECTED = `a file of at most 1 MiB (${LIMITS.fileBytesMax} bytes)`;
const FILE_SIZE_HINT = 'scenario files are small: use workload.generate instead of listing thousands of orders';

function fileProblem(file: string, problem: FileProblem): ScenarioResult {
  return { ok: false, problems: [{ file, path: '', ...problem }] };
}

/** The file's base name without ".json": the default scenario name. */
export function scenarioNameFromFile(fileName: string): string {
  const base = fileName.split(/[\\/]/).at(-1) ?? '';
  const name = base.replace(/\.json$/i, '').slice(0, LIMITS.nameLengthMax);
  return name === '' ? FALLBACK_SCENARIO_NAME : name;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// zod's record silently drops an own "__proto__" key (to stay safe); we want it reported.
function prototypeKeyDrafts(value: Record<string, unknown>): ProblemDraft[] {
  const strategy = Object.hasOwn(value, 'strategy') ? value.strategy : undefined;
  const options = isPlainObject(strategy) && Object.hasOwn(strategy, 'options') ? strategy.options : undefined;
  if (!isPlainObject(options) || !Object.hasOwn(options, '__proto__')) return [];
  const path = ['strategy', 'options'];
  return [{ path, at: [...path, '__proto__'], expected: 'an option name', found: 'key "__proto__"',
    hint: '"__proto__" is never a valid key' }];
}

function toProblems(file: string, text: string, drafts: readonly ProblemDraft[]): ScenarioProblem[] {
  const shown = drafts.slice(0, LIMITS.problemsShownMax).map((d): ScenarioProblem => {
    const { line, column } = lineColumnAt(text, locateJsonPath(text, d.at ?? d.path));
    const problem: ScenarioProblem = { file, path: pathText(d.path), expected: d.expected, found: d.found, line, column };
    if (d.hint !== undefined) problem.hint = d.hint;
    return problem;
  });
  const hidden = drafts.length - shown.length;
  if (hidden > 0) {
    shown.push({ file, path: '', expected: `at most ${LIMITS.problemsShownMax} problems shown per file`,
      found: `${hidden} more problem${hidden === 1 ? '' : 's'}`, hint: 'fix the problems above and validate again' });
  }
  return shown;
}

function parseJson(file: string, text: string): { ok: true; value: unknown } | { ok: false; result: ScenarioResult } {
  const syntax = findJsonSyntaxError(text);
  if (syntax !== undefined) {
    const { offset, ...rest } = syntax;
    return { ok: false, result: fileProblem(file, { ...rest, ...lineColumnAt(text, offset) }) };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    // Backstop only: the checker above accepts exactly what JSON.parse accepts.
    const deep = error instanceof RangeError;
    return { ok: false, result: fileProblem(file, {
      expected: deep ? `at most ${LIMITS.nestingDepthMax} levels of nesting` : 'valid JSON',
      found: deep ? 'arrays or objects nested too deeply' : String(error instanceof Error ? error.message : error).slice(0, 200),
    }) };
  }
}

function parseUnguarded(text: string, file: string): ScenarioResult {
  if (typeof text !== 'string') return fileProblem(file, { expected: 'the text of a scenario file', found: typeof text });
  // Cheap bound first: every UTF-16 unit is at least one UTF-8 byte.
  if (text.length > LIMITS.fileBytesMax || Buffer.byteLength(text, 'utf8') > LIMITS.fileBytesMax) {
    return fileProblem(file, { expected: FILE_SIZE_EXPECTED, found: `${Buffer.byteLength(text, 'utf8')} bytes`, hint: FILE_SIZE_HINT });
  }
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const json = parseJson(file, body);
  if (!json.ok) return json.result;
  let input = json.value;
  const drafts: ProblemDraft[] = [];
  if (isPlainObject(input)) {
    drafts.push(...prototypeKeyDrafts(input));
    // Spreading copies an own "__proto__" key as a plain key, so zod still reports it.
    if (!Object.hasOwn(input, 'name')) input = { ...input, name: scenarioNameFromFile(file) };
  }
  const parsed = scenarioSchema.safeParse(input, { reportInput: true });
  if (parsed.success && drafts.length === 0) return { ok: true, scenario: parsed.data };
  if (!parsed.success) drafts.push(...draftsFromIssues(parsed.error.issues, input));
  return { ok: false, problems: toProblems(file, body, drafts) };
}

/** Parses and validates scenario text. Never throws. `fileName` names the file in problems and gives the default name. */
export function parseScenario(text: string, fileName: string): ScenarioResult {
  const file = typeof fileName === 'string' && fileName !== '' ? fileName : '(scenario)';
  try {
    return parseUnguarded(text, file);
  } catch (error) {
    // A bug in oversold, not in the file: still one line, never a stack trace.
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return fileProblem(file, { expected: 'a scenario oversold can check', found: `an internal error (${message.slice(0, 200)})`,
      hint: 'please report this as a bug in oversold, with the file' });
  }
}

function describeFsError(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'a file it may not read (permission denied)';
  if (code === 'ENOTDIR') return 'a path through something that is not a directory';
  if (code === 'EISDIR') return 'a directory';
  return `a file it cannot read (${code === '' ? 'unknown error' : code})`;
}

/** Reads at most `limit + 1` bytes, so a file that grows after stat cannot exhaust memory. */
function readBounded(path: string, limit: number): Buffer {
  // O_NONBLOCK: opening a FIFO must not wait for a writer (stat already rejected non-files).
  const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const buffer = Buffer.alloc(limit + 1);
    let filled = 0;
    for (;;) {
      const n = readSync(fd, buffer, filled, buffer.length - filled, null);
      if (n === 0) break;
      filled += n;
      if (filled === buffer.length) break;
    }
    return buffer.subarray(0, filled);
  } finally {
    closeSync(fd);
  }
}

function loadUnguarded(path: string): ScenarioResult {
  const expected = 'a readable scenario file';
  let size: number;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) return fileProblem(path, { expected, found: 'a directory', hint: 'pass the .json files inside it' });
    if (!stat.isFile()) return fileProblem(path, { expected, found: 'something that is not a regular file (a device, pipe or socket)' });
    size = stat.size;
  } catch (error) {
    return fileProblem(path, { expected, found: describeFsError(error) });
  }
  if (size > LIMITS.fileBytesMax) return fileProblem(path, { expected: FILE_SIZE_EXPECTED, found: `${size} bytes`, hint: FILE_SIZE_HINT });
  let bytes: Buffer;
  try {
    bytes = readBounded(path, LIMITS.fileBytesMax);
  } catch (error) {
    return fileProblem(path, { expected, found: describeFsError(error) });
  }
  if (bytes.length > LIMITS.fileBytesMax) {
    return fileProblem(path, { expected: FILE_SIZE_EXPECTED, found: `more than ${LIMITS.fileBytesMax} bytes`, hint: FILE_SIZE_HINT });
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fileProblem(path, { expected: 'UTF-8 text', found: 'bytes that are not UTF-8', hint: 'save the file as UTF-8' });
  }
  return parseScenario(text, path);
}

/** Reads, parses and validates one scenario file. Never throws. */
export function loadScenarioFile(path: string): ScenarioResult {
  if (typeof path !== 'string' || path === '') {
    return fileProblem(String(path), { expected: 'a path to a scenario file', found: 'an empty path' });
  }
  try {
    return loadUnguarded(path);
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return fileProblem(path, { expected: 'a scenario oversold can check', found: `an internal error (${message.slice(0, 200)})`,
      hint: 'please report this as a bug in oversold, with the file' });
  }
}
