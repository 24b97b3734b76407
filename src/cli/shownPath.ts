import { isAbsolute, relative } from 'node:path';

/** A path as the user should see it: relative to `cwd` when inside it, absolute otherwise. */
export function shownPath(cwd: string, abs: string): string {
  const rel = relative(cwd, abs);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? abs : rel;
}
