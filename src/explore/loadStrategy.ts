import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve, extname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isStrategyPath, type Strategy } from '../inventory/strategy.js';
import { InputError } from '../errors.js';
import { loadBuiltinStrategy } from './builtinStrategies.js';
import { loadSqlParser } from '../inventory/sql/parse.js';

/**
 * Resolves `--strategy`: a built-in name, or a path to a module (.ts via tsx, .js, .mjs) that
 * exports a strategy as `default`, as `strategy`, or as its only export that looks like one.
 */
export async function loadStrategy(nameOrPath: string, cwd: string): Promise<Strategy> {
  const strategy = await loadStrategyModule(nameOrPath, cwd);
  // PostgreSQL's parser (WebAssembly) is loaded once per thread, before any run that may speak
  // SQL: a SQL strategy, or a user's module (which may use ctx.sql without saying so).
  if (strategy.sql === true || isStrategyPath(nameOrPath)) await loadSqlParser();
  return strategy;
}

async function loadStrategyModule(nameOrPath: string, cwd: string): Promise<Strategy> {
  if (!isStrategyPath(nameOrPath)) return loadBuiltinStrategy(nameOrPath);
  const file = isAbsolute(nameOrPath) ? nameOrPath : resolve(cwd, nameOrPath);
  if (!existsSync(file) || !statSync(file).isFile()) throw new InputError(`strategy module ${nameOrPath}: no such file`, 'STRATEGY_NOT_FOUND');
  let mod: Record<string, unknown>;
  try {
    const ext = extname(file);
    if (ext === '.ts' || ext === '.mts' || ext === '.cts') {
      const { tsImport } = await import('tsx/esm/api');
      mod = (await tsImport(pathToFileURL(file).href, import.meta.url)) as Record<string, unknown>;
    } else {
      mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    }
  } catch (e) {
    throw new InputError(`strategy module ${nameOrPath} failed to load: ${loadErrorText(e, file)}`, 'STRATEGY_LOAD_FAILED');
  }
  userModules.push(file);
  // Reading the exports runs the module's code too (a getter, a Proxy's traps): what it
  // throws is the module's fault, one line of bad input, never an internal error.
  try {
    const candidates = [mod.default, mod.strategy, ...Object.values(mod)];
    // A module compiled to CJS may nest the default export once more.
    const nested = (mod.default as Record<string, unknown> | undefined)?.default;
    if (nested) candidates.splice(1, 0, nested);
    const found = candidates.find(isStrategy);
    if (!found) {
      throw new InputError(
        `strategy module ${nameOrPath} exports no strategy: export default { name: 'mine', summary: '...', safe: true, *placeOrder(ctx) { ... } } (see docs/writing-a-strategy.md)`,
        'NOT_A_STRATEGY',
      );
    }
    return asLoaded(found, nameOrPath);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`strategy module ${nameOrPath}: reading its strategy object threw ${loadErrorText(e, file)} (a getter that throws, or a Proxy?)`, 'STRATEGY_OBJECT_THREW');
  }
}

const userModules: string[] = [];

/** The user modules this thread has loaded (absolute paths): errors outside a run come from them. */
export function loadedUserModules(): readonly string[] {
  return userModules;
}

/**
 * The strategy as the simulator uses it: its own name, a summary and a `safe` flag even when
 * the module left them out, and its methods bound to the object the module exported, so that a
 * class instance keeps its prototype methods and its `this` (a spread copy would drop both).
 */
function asLoaded(found: Strategy, nameOrPath: string): Strategy {
  const recover = found.recover;
  return {
    name: found.name,
    summary: typeof found.summary === 'string' ? found.summary : `user strategy from ${nameOrPath}`,
    safe: found.safe === true,
    placeOrder: found.placeOrder.bind(found),
    ...(typeof recover === 'function' ? { recover: recover.bind(found) } : {}),
  };
}

export function isStrategy(x: unknown): x is Strategy {
  if (typeof x !== 'object' || x === null) return false;
  const s = x as Partial<Strategy>;
  return typeof s.name === 'string' && s.name.length > 0 && typeof s.placeOrder === 'function';
}

/**
 * One line about why a module did not load. esbuild (tsx) puts the useful part on the second
 * line ("Transform failed with 1 error:\n/abs/x.ts:5:27: ERROR: Unexpected \";\""): keep it,
 * with the path shortened to "line 5:27".
 */
export function loadErrorText(e: unknown, file: string): string {
  if (!(e instanceof Error)) return typeof e === 'symbol' ? e.toString() : safeString(e);
  const lines = e.message.split('\n');
  if (/^Transform failed/.test(lines[0]) && lines[1]) {
    const at = lines[1].startsWith(file + ':') ? `line ${lines[1].slice(file.length + 1)}` : lines[1];
    return `syntax error at ${at.replace(/: ERROR: /, ': ')}`;
  }
  return lines[0];
}

function safeString(x: unknown): string {
  try {
    return String(x);
  } catch {
    return 'a value that cannot be printed';
  }
}
