/**
 * PostgreSQL's own parser (libpg-query, compiled to WebAssembly). `loadSqlParser()` must be
 * awaited once per thread (main or worker) before the engine parses; after that parsing is
 * synchronous, so the engine stays a plain step function. Parse trees are cached by text:
 * a strategy sends the same few statements thousands of times in a sweep.
 */
import { loadModule, parseSync } from 'libpg-query';
import { syntaxError } from './errors.js';
import { InputError } from '../../errors.js';
import type { SqlFailure } from './types.js';

let loaded: Promise<void> | undefined;
let ready = false;

export function loadSqlParser(): Promise<void> {
  loaded ??= loadModule().then(() => {
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
  if (!ready) throw new InputError("the SQL parser is not loaded: await loadSqlParser() once before running SQL (oversold's CLI does it for SQL strategies and strategy modules)", 'SQL_PARSER_NOT_LOADED');
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
