import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import { parseScenario, type Scenario } from '../scenario/index.js';
import { ListSource } from '../sim/sources.js';
import { InputError } from '../errors.js';
import { isStrategyPath } from '../inventory/strategy.js';
import { strategyIdentity } from './strategyIdentity.js';
import { runOnce, type RunResult } from './run.js';
import type { Strategy } from '../inventory/strategy.js';

/**
 * A replay file: everything needed to re-execute one run exactly, with no seed involved. The
 * resolved scenario is embedded (so editing the scenario file later changes nothing; it says
 * its timing model too), the strategy is named, and `answers` are the answers the run gave to
 * its questions, in the order asked (answers past the end are 0). `traceHash` is what the run
 * produced when it was recorded: a replay whose hash differs ran different code.
 *
 * Version 2 (trace format 2, CHANGELOG.md): messages are identified by origin, fault steps
 * address calls by origin, the field is `answers` (was `choices`). A version 1 file is refused
 * with one line: its answers were given to a kernel that asked other questions.
 */
export const REPLAY_FORMAT = 'oversold-replay';
export const REPLAY_VERSION = 2;
const REPLAY_BYTES_MAX = 16 * 1024 * 1024;

const violationSchema = z.object({
  invariant: z.string(),
  message: z.string(),
  orders: z.array(z.string()),
  units: z.array(z.string()),
});

const replaySchema = z.object({
  format: z.literal(REPLAY_FORMAT),
  version: z.literal(REPLAY_VERSION),
  scenario: z.record(z.string(), z.unknown()),
  /** A built-in name, or a module path relative to the replay file's folder. */
  strategy: z.string().min(1),
  seed: z.number().int().min(0).nullable(),
  answers: z.array(z.number().int().min(0)),
  traceHash: z.string().regex(/^[0-9a-f]{16}$/),
  verdict: z.enum(['ok', 'violated']),
  violations: z.array(violationSchema),
  instantDb: z.boolean().optional(),
  /** Where the file came from; informational. */
  origin: z.record(z.string(), z.unknown()).optional(),
  /** strategyIdentity() of the strategy when the file was written: tells "the code changed" apart. */
  strategyHash: z.string().optional(),
  /** contentHashOf() the file's own fields when written: tells "the file was edited" apart. */
  contentHash: z.string().optional(),
});

export type ReplayViolation = z.output<typeof violationSchema>;

/** A replay file as written and as read (with the scenario validated). */
export interface ReplayData {
  readonly format: typeof REPLAY_FORMAT;
  readonly version: typeof REPLAY_VERSION;
  readonly scenario: Scenario;
  readonly strategy: string;
  readonly seed: number | null;
  /** The answers the run gave to its questions, in the order asked, trailing zeros dropped. */
  readonly answers: readonly number[];
  readonly traceHash: string;
  readonly verdict: 'ok' | 'violated';
  readonly violations: readonly ReplayViolation[];
  readonly instantDb?: boolean;
  readonly origin?: Readonly<Record<string, unknown>>;
  readonly strategyHash?: string;
}

export interface ReplayFile extends ReplayData {
  /** The file it was read from. */
  readonly file: string;
  /** `strategy` made usable from the current directory: a built-in name or an absolute path. */
  readonly strategyRef: string;
  /**
   * The file's fields differ from what was written (its embedded content hash does not match);
   * null for a file written without one (older versions).
   */
  readonly edited: boolean | null;
}

/**
 * Why a replay may not reproduce its recording, as far as the file can tell: it was edited,
 * the strategy module's bytes changed, or neither (then oversold itself changed, or the
 * strategy depends on more than its module file). `strategyRef` is what this replay loads.
 */
export function replayDifference(d: ReplayFile, strategyRef: string, cwd: string): { file: 'edited' | 'unchanged' | 'unknown'; strategy: 'changed' | 'unchanged' | 'unknown'; text: string } {
  const file = d.edited === null ? 'unknown' : d.edited ? 'edited' : 'unchanged';
  const now = strategyIdentity(strategyRef, cwd);
  const strategy = d.strategyHash === undefined || now === null ? 'unknown' : d.strategyHash === now ? 'unchanged' : 'changed';
  const parts: string[] = [];
  if (file === 'edited') parts.push('the replay file was edited after it was written (its content hash differs)');
  if (strategy === 'changed') parts.push(`the strategy's code differs from the recording's (${d.strategyHash} then, ${now} now)`);
  if (parts.length === 0) {
    if (strategy === 'unchanged') parts.push(`the ${file === 'unchanged' ? 'file and the ' : ''}strategy module are unchanged, so oversold itself changed (or the strategy depends on more than its module file)`);
    else parts.push('the code changed since the file was written (the strategy or oversold itself)');
  }
  return { file, strategy, text: parts.join('; ') };
}

/** The hash a replay file embeds of its own fields (all but contentHash), 16 hex digits. */
export function contentHashOf(fields: Readonly<Record<string, unknown>>): string {
  const { contentHash: _ignored, ...rest } = fields;
  return createHash('sha256').update(JSON.stringify(rest)).digest('hex').slice(0, 16);
}

/** The answers a run gave, as a replay list: trailing zeros dropped (a list answers 0 past its end). */
export function answersOf(r: RunResult): number[] {
  if (!r.choices) throw new Error('answersOf: the run did not record its choices (runOnce with recordChoices: true)');
  return trimTrailingZeros(r.choices.map((c) => c.value));
}

/** A list of answers without its trailing zeros: the same list to a source that answers 0 past its end. */
export function trimTrailingZeros(values: readonly number[]): number[] {
  let n = values.length;
  while (n > 0 && values[n - 1] === 0) n--;
  return values.slice(0, n);
}

/**
 * Builds the replay data of a finished run. `strategyRef` is how to load the strategy again:
 * a built-in name or a module path (relative to the current directory `cwd`).
 */
export function replayDataOf(scenario: Scenario, r: RunResult, strategyRef: string, extra: { instantDb?: boolean; origin?: Record<string, unknown> } = {}): ReplayData {
  return {
    format: REPLAY_FORMAT,
    version: REPLAY_VERSION,
    scenario,
    strategy: strategyRef,
    seed: r.seed,
    answers: answersOf(r),
    traceHash: r.traceHash,
    verdict: r.verdict,
    violations: r.violations.map((v) => ({ invariant: v.invariant, message: v.message, orders: [...v.orders], units: [...v.units] })),
    ...(extra.instantDb ? { instantDb: true } : {}),
    ...(extra.origin ? { origin: extra.origin } : {}),
  };
}

/**
 * Writes a replay file (creating its folder). A strategy path is stored relative to the
 * file's folder, so the pair can move together; `cwd` is what the given path is relative to.
 */
export function writeReplayFile(file: string, data: ReplayData, cwd: string): string {
  const abs = resolve(cwd, file);
  const { text } = replayFileText(data, dirname(abs), cwd);
  mkdirSync(dirname(abs), { recursive: true });
  writeFileSync(abs, text);
  return abs;
}

/**
 * Writes a replay file into `dir` named `<stem>-<content hash>.json`: two counterexamples never
 * share a name (a second check never overwrites the first, whose printed replay command would
 * then replay the other one), and the same counterexample found twice reuses its file.
 */
export function writeReplayFileByContent(dir: string, stem: string, data: ReplayData, cwd: string): string {
  const absDir = resolve(cwd, dir);
  const { text, contentHash } = replayFileText(data, absDir, cwd);
  const abs = resolve(absDir, `${stem}-${contentHash.slice(0, 8)}.json`);
  mkdirSync(absDir, { recursive: true });
  if (!(existsSync(abs) && readFileSync(abs, 'utf8') === text)) writeFileSync(abs, text);
  return abs;
}

/** The text of a replay file written into folder `dir`, with its strategy and content hashes. */
function replayFileText(data: ReplayData, dir: string, cwd: string): { text: string; contentHash: string } {
  let strategy = data.strategy;
  if (isStrategyPath(strategy)) {
    const rel = relative(dir, resolve(cwd, strategy)).split(sep).join('/');
    strategy = rel.startsWith('.') ? rel : `./${rel}`;
  }
  const strategyHash = data.strategyHash ?? strategyIdentity(data.strategy, cwd) ?? undefined;
  const fields: Record<string, unknown> = { ...data, strategy, ...(strategyHash ? { strategyHash } : {}) };
  delete fields.contentHash;
  // Plain data only (a ReplayFile read back carries more): what JSON.parse gives back.
  for (const k of ['file', 'strategyRef', 'edited']) delete fields[k];
  const contentHash = contentHashOf(JSON.parse(JSON.stringify(fields)) as Record<string, unknown>);
  // Pretty, except the answer list stays on one line.
  const text = JSON.stringify({ ...fields, contentHash, answers: '\u0000answers' }, null, 2).replace('"\\u0000answers"', JSON.stringify(data.answers));
  return { text: text + '\n', contentHash };
}

/** Reads and validates a replay file; anything wrong is one InputError line naming the file. */
export function readReplayFile(file: string, cwd: string): ReplayFile {
  const abs = resolve(cwd, file);
  const fail = (what: string, code = 'BAD_REPLAY_FILE'): never => {
    throw new InputError(`replay file ${file}: ${what}`, code);
  };
  let text = '';
  try {
    const st = statSync(abs);
    if (!st.isFile()) fail('not a regular file');
    if (st.size > REPLAY_BYTES_MAX) fail(`too big (${st.size} bytes; replay files are at most ${REPLAY_BYTES_MAX})`);
    text = readFileSync(abs, 'utf8');
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as { code?: string }).code;
    fail(code === 'ENOENT' ? 'no such file' : `cannot read it (${code ?? String(e)})`, code === 'ENOENT' ? 'REPLAY_NOT_FOUND' : 'BAD_REPLAY_FILE');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    fail(`not JSON (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`);
  }
  const obj = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  if (obj.format !== REPLAY_FORMAT) fail(`not an oversold replay file (expected "format": "${REPLAY_FORMAT}", found ${JSON.stringify(obj.format) ?? 'none'})`);
  if (typeof obj.version === 'number' && obj.version > REPLAY_VERSION) fail(`written by a newer oversold (version ${obj.version}); this one reads version ${REPLAY_VERSION}`);
  if (typeof obj.version === 'number' && obj.version < REPLAY_VERSION) {
    fail(`written by an older oversold (replay format ${obj.version}): its answers were given to a kernel that asked other questions (messages are now identified by origin and fault steps address calls by origin, CHANGELOG.md), so replaying it would run something else; record the run again`, 'OLD_REPLAY_FILE');
  }
  const parsed = replaySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    fail(`${issue.path.length > 0 ? issue.path.join('.') : '(top level)'}: ${issue.message}`);
  }
  const d = parsed.data!;
  const sc = parseScenario(JSON.stringify(d.scenario), `${file} (embedded scenario)`);
  if (!sc.ok) {
    const p = sc.problems[0];
    fail(`the embedded scenario is invalid: ${p.path === '' ? '' : `${p.path.replace(/^\$/, 'scenario')}: `}expected ${p.expected}, found ${p.found}`);
  }
  const strategyRef = isStrategyPath(d.strategy) && !isAbsolute(d.strategy) ? resolve(dirname(abs), d.strategy) : d.strategy;
  return {
    format: REPLAY_FORMAT,
    version: REPLAY_VERSION,
    scenario: (sc as { ok: true; scenario: Scenario }).scenario,
    strategy: d.strategy,
    seed: d.seed,
    answers: d.answers,
    traceHash: d.traceHash,
    verdict: d.verdict,
    violations: d.violations,
    instantDb: d.instantDb,
    origin: d.origin,
    ...(d.strategyHash === undefined ? {} : { strategyHash: d.strategyHash }),
    file: abs,
    strategyRef,
    edited: typeof obj.contentHash === 'string' ? contentHashOf(obj) !== obj.contentHash : null,
  };
}

export interface ReplayResult {
  readonly run: RunResult;
  /** The new trace hash equals the recorded one: same code, same run. */
  readonly matchesRecording: boolean;
  readonly recorded: ReplayData;
}

/** Re-executes a replay: the embedded scenario, the recorded answers, the given strategy. */
export function replayRun(data: ReplayData, strategy: Strategy, opts: { keepTrace?: boolean; recordChoices?: boolean } = {}): ReplayResult {
  const run = runOnce(data.scenario, {
    strategy,
    source: new ListSource(data.answers, 'recorded'),
    instantDb: data.instantDb,
    keepTrace: opts.keepTrace,
    recordChoices: opts.recordChoices,
  });
  return { run, matchesRecording: run.traceHash === data.traceHash, recorded: data };
}
