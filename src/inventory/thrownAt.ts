import { fileURLToPath } from 'node:url';

/**
 * Where a strategy's own code threw: the first stack frame that is neither oversold's nor
 * Node's. A user reads "TypeError: x is not a function (at src/my-strategy.ts:12:7)" and opens
 * the line. Stack frames of TypeScript modules name the .ts file and line when source maps are
 * on (tsx turns them on for the modules it loads; vitest maps the modules it transforms).
 */
export interface SourceFrame {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** oversold's own code, in a checkout (src/, dist/) and installed (node_modules/oversold/dist/). */
const OWN_DIRS = ['src', 'dist'].map((d) => fileURLToPath(new URL(`../../${d}/`, import.meta.url)));

const FRAME = /^\s*at (?:.*? \()?(.+?):(\d+):(\d+)\)?\s*$/;

/** The user's frame of a thrown value's stack, or null (no stack, or none of it is theirs). */
export function userFrame(thrown: unknown): SourceFrame | null {
  const stack = thrown instanceof Error && typeof thrown.stack === 'string' ? thrown.stack : null;
  if (stack === null) return null;
  for (const line of stack.split('\n')) {
    const m = FRAME.exec(line);
    if (!m) continue;
    const file = fileOf(m[1]);
    if (file === null || OWN_DIRS.some((d) => file.startsWith(d))) continue;
    return { file, line: Number(m[2]), column: Number(m[3]) };
  }
  return null;
}

function fileOf(location: string): string | null {
  if (location.startsWith('node:') || location.startsWith('<') || location === 'native') return null;
  // tsx compiles a TypeScript module of a CommonJS package to a data: URL that ends in
  // "?filePath=<the .ts file>": the file is known, its lines are not the user's.
  if (location.startsWith('data:')) return null;
  if (location.startsWith('file://')) {
    try {
      return fileURLToPath(location);
    } catch {
      return null;
    }
  }
  return location.startsWith('/') || /^[A-Za-z]:[\\/]/.test(location) ? location : null;
}

/** " (at /abs/src/my-strategy.ts:12:7)": appended to a strategy error's message. */
export function formatThrownAt(f: SourceFrame): string {
  return ` (at ${f.file}:${f.line}:${f.column})`;
}

/** The frame a message names with formatThrownAt, or null. */
export function parseThrownAt(message: string): SourceFrame | null {
  const m = / \(at (.+?):(\d+):(\d+)\)/.exec(message);
  return m ? { file: m[1], line: Number(m[2]), column: Number(m[3]) } : null;
}
