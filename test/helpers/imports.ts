// A careful reader of a TypeScript module's import declarations, for tests that pin which
// room may import what. TypeScript 7's compiler has no JS API, so this is a small lexer:
// comments, template literals and regular expressions are blanked out (a quote inside them
// must not start a string), string literals kept, then every `import ... from`, `export ...
// from`, side-effect `import '...'` and dynamic `import('...')` is read off what is left.

export interface ImportDecl {
  /** The module specifier as written, e.g. '../explore/run.js'. */
  readonly from: string;
  /** Only types come through it: `import type`, `export type`, or every named specifier marked `type`. */
  readonly typeOnly: boolean;
  /** The declaration as written (whitespace collapsed), for messages. */
  readonly text: string;
  /** 1-based line of the declaration. */
  readonly line: number;
}

/** The source with comments, template literals and regex literals replaced by spaces (newlines kept). */
export function blankNonCode(src: string): string {
  const out = src.split('');
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  let i = 0;
  // The last significant character outside comments: decides whether `/` starts a regex.
  let prev = '';
  while (i < src.length) {
    const c = src[i];
    const n = src[i + 1];
    if (c === '/' && n === '/') {
      const end = src.indexOf('\n', i);
      const stop = end < 0 ? src.length : end;
      blank(i, stop);
      i = stop;
    } else if (c === '/' && n === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end < 0 ? src.length : end + 2;
      blank(i, stop);
      i = stop;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < src.length && src[j] !== c && src[j] !== '\n') j += src[j] === '\\' ? 2 : 1;
      i = j + 1;
      prev = c;
    } else if (c === '`') {
      const stop = templateEnd(src, i);
      blank(i, stop);
      i = stop;
      prev = '`';
    } else if (c === '/' && !/[\w$)\]}'"`]/.test(prev)) {
      let j = i + 1;
      let inClass = false;
      while (j < src.length && src[j] !== '\n' && (inClass || src[j] !== '/')) {
        if (src[j] === '\\') j++;
        else if (src[j] === '[') inClass = true;
        else if (src[j] === ']') inClass = false;
        j++;
      }
      blank(i, j + 1);
      i = j + 1;
      prev = ')';
    } else {
      if (!/\s/.test(c)) prev = c;
      i++;
    }
  }
  return out.join('');
}

/** Where the template literal starting at `start` ends (past its closing backtick), `${...}` nesting included. */
function templateEnd(src: string, start: number): number {
  let j = start + 1;
  while (j < src.length && src[j] !== '`') {
    if (src[j] === '\\') j += 2;
    else if (src[j] === '$' && src[j + 1] === '{') {
      let depth = 1;
      j += 2;
      while (j < src.length && depth > 0) {
        if (src[j] === '`') j = templateEnd(src, j);
        else {
          if (src[j] === '{') depth++;
          else if (src[j] === '}') depth--;
          j++;
        }
      }
    } else j++;
  }
  return j + 1;
}

const DECLARATION = /(^|[;}\n])\s*(import|export)\s+(type\s+)?([^;'"]*?)\s*from\s*(['"])([^'"\n]+)\5/g;
const SIDE_EFFECT = /(^|[;}\n])\s*import\s*(['"])([^'"\n]+)\2/g;
const DYNAMIC = /\bimport\s*\(\s*(['"])([^'"\n]+)\1/g;

/** Every import and re-export declaration of a module's source, in order of appearance. */
export function importsOf(src: string): ImportDecl[] {
  const code = blankNonCode(src);
  const lineAt = (at: number) => code.slice(0, at).split('\n').length;
  const out: Array<ImportDecl & { at: number }> = [];
  // Where the keyword starts: past the separator and the whitespace (newlines too) before it.
  const keywordAt = (m: RegExpMatchArray) => m.index! + m[0].length - m[0].slice(m[1].length).trimStart().length;
  for (const m of code.matchAll(DECLARATION)) {
    const at = keywordAt(m);
    const clause = m[4].trim();
    const typeOnly = m[3] !== undefined || namedOnlyTypes(clause);
    out.push({ from: m[6], typeOnly, text: `${m[2]} ${m[3] ?? ''}${clause} from '${m[6]}'`.replace(/\s+/g, ' '), line: lineAt(at), at });
  }
  for (const m of code.matchAll(SIDE_EFFECT)) {
    const at = keywordAt(m);
    out.push({ from: m[3], typeOnly: false, text: `import '${m[3]}'`, line: lineAt(at), at });
  }
  for (const m of code.matchAll(DYNAMIC)) out.push({ from: m[2], typeOnly: false, text: `import('${m[2]}')`, line: lineAt(m.index), at: m.index });
  return out.sort((a, b) => a.at - b.at).map(({ at: _, ...d }) => d);
}

/** `{ type A, type B }` (and nothing else): every specifier is type-only. A default or namespace import is a value. */
function namedOnlyTypes(clause: string): boolean {
  const m = /^\{([\s\S]*)\}$/.exec(clause);
  if (m === null) return false;
  const names = m[1].split(',').map((s) => s.trim()).filter((s) => s !== '');
  return names.length > 0 && names.every((s) => /^type\s/.test(s));
}
