import { mkdirSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { InputError, UsageError } from '../errors.js';

/**
 * Files a command writes (--trace, --html, --record, --replay-file, export -o) must not be
 * files it reads (the scenario, the strategy module, the replay file) nor each other: writing
 * `--html scenario.json` or `export r.json -o r.json` would destroy the input. Compared by
 * device and inode after following links (`./x.json`, `../dir/x.json` and a symlink to it
 * are one file), and for outputs that do not exist yet by their resolved path.
 */
export interface NamedFile {
  /** How the user named it: "--trace", "the scenario", "-o". */
  readonly role: string;
  readonly path: string;
}

function identity(cwd: string, path: string): string {
  const abs = resolve(cwd, path);
  try {
    const st = statSync(abs);
    return `inode:${st.dev}:${st.ino}`;
  } catch {
    try {
      return `path:${resolve(realpathSync(dirname(abs)), basename(abs))}`;
    } catch {
      return `path:${abs}`;
    }
  }
}

/** Throws a UsageError when an output is an input or another output. */
export function refuseClobbering(cwd: string, outputs: readonly NamedFile[], inputs: readonly NamedFile[]): void {
  const seen = new Map<string, NamedFile>();
  for (const f of inputs) seen.set(identity(cwd, f.path), f);
  for (const f of outputs) {
    const id = identity(cwd, f.path);
    const other = seen.get(id);
    if (other) {
      const same = other.path === f.path ? f.path : `${f.path} (the same file as ${other.path})`;
      throw new UsageError(`${f.role} ${same} is ${other.role === f.role ? 'given twice' : `also ${other.role}`}: writing it would destroy ${inputs.includes(other) ? 'that input' : 'the other output'}; choose another file`);
    }
    seen.set(id, f);
  }
}

/** What an errno means for a file someone asked us to write. */
export function writeErrorText(e: unknown): string {
  const code = (e as { code?: string } | null)?.code;
  const words: Record<string, string> = {
    ENOSPC: 'no space left on the device',
    EDQUOT: 'over the disk quota',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EISDIR: 'it is a directory',
    ENOTDIR: 'a part of the path is not a directory',
    EROFS: 'read-only file system',
    ENOENT: 'no such directory',
    EFBIG: 'file too large',
  };
  return code ? `${code}: ${words[code] ?? 'cannot write it'}` : String((e as Error)?.message ?? e);
}

/** Writes an output file the user named, or throws a one-line InputError (exit 2): a full disk is not oversold's bug. */
export function writeOutput(role: string, path: string, text: string, cwd: string): string {
  const abs = resolve(cwd, path);
  try {
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, text);
  } catch (e) {
    throw new InputError(`${role} ${path}: cannot write it (${writeErrorText(e)})`, 'CANNOT_WRITE');
  }
  return abs;
}
