import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve, extname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isStrategyPath, type Strategy } from '../inventory/strategy.js';
import { InputError } from '../errors.js';
import { builtinStrategy } from './run.js';

/**
 * Resolves `--strategy`: a built-in name, or a path to a module (.ts via tsx, .js, .mjs) that
 * exports a strategy as `default`, as `strategy`, or as its only export that looks like one.
 */
export async function loadStrategy(nameOrPath: string, cwd: string): Promise<Strategy> {
  if (!isStrategyPath(nameOrPath)) return builtinStrategy(nameOrPath);
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
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new InputError(`strategy module ${nameOrPath} failed to load: ${msg}`, 'STRATEGY_LOAD_FAILED');
  }
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
