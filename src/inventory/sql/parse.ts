/**
 * PostgreSQL's own parser (libpg-query, compiled to WebAssembly). `loadSqlParser()` must be
 * awaited once per thread (main or worker) before the engine parses; after that parsing is
 * synchronous, so the engine stays a plain step function. Parse trees are cached by text:
 * a strategy sends the same few statements thousands of times in a sweep.
 */
import { syntaxError } from './errors.js';
import { InputError } from '../../errors.js';
import type { SqlFailure } from './types.js';

let loaded: Promise<void> | undefined;
let ready = false;
let parseSync: typeof import('libpg-query').parseSync | null = null;

/**
 * The parser's module is imported here, not at the top of the file: importing it reads and
 * compiles 1.7 MB of WebAssembly (~60-80 ms of CPU), and every sweep worker thread imports
 * this file, though most sweeps run no SQL.
 */
export function loadSqlParser(): Promise<void> {
  loaded ??= import('libpg-query').then(async (m) => {
    await m.loadModule();
    parseSync = m.parseSync;
    ready = true;
  });
  return loaded;
}

export function sqlParserReady(): boolean {
  return ready;
}

/** A node of PostgreSQL's parse tree as libpg-query renders it: `{ NodeType: { ...fields } }`. */
export type PgNode = Record<string, any>;

const cache = new Map<string, PgNode[] | SqlFailure>();
const CACHE_MAX = 10_000;

/** The raw statements of `text`, or a syntax error as a value. */
export function parseStatements(text: string): PgNode[] | SqlFailure {
  const hit = cache.get(text);
  if (hit) return hit;
  if (!ready || parseSync === null) throw new InputError("the SQL parser is not loaded: await loadSqlParser() once before running SQL (oversold's CLI does it for SQL strategies and strategy modules)", 'SQL_PARSER_NOT_LOADED');
  let out: PgNode[] | SqlFailure;
  try {
    out = (parseSync(text).stmts ?? []).map((s: PgNode) => s.stmt as PgNode);
  } catch (e) {
    out = syntaxError((e as Error).message);
  }
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(text, out);
  return out;
}
