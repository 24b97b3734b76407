import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { isAbsolute, resolve } from 'node:path';
import { isStrategyPath } from '../inventory/strategy.js';

// Apart from loadStrategy.ts: node:crypto is ~17 of node's own modules, and a sweep's worker
// thread loads strategies but never names them (docs/benchmarks.md, "Worker boot").

/**
 * Which code a --strategy value runs, for results that must not be mixed (merge): a built-in
 * is "builtin:<name>", a module "module:<sha-256 of its file's bytes, 16 hex digits>" (the
 * module file itself, not what it imports). Null when the module cannot be read.
 */
export function strategyIdentity(nameOrPath: string, cwd: string): string | null {
  if (!isStrategyPath(nameOrPath)) return `builtin:${nameOrPath}`;
  try {
    return `module:${fileHash(isAbsolute(nameOrPath) ? nameOrPath : resolve(cwd, nameOrPath))}`;
  } catch {
    return null;
  }
}

/** The first 16 hex digits of the SHA-256 of a file's bytes. */
export function fileHash(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 16);
}
