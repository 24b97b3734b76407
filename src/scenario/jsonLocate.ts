// Finds where a JSON path sits in the source text, so problems can say `file:line:column`.
// Only called on text that already parsed, and only for the few problems shown. Iterative,
// like the syntax checker, so deep nesting cannot overflow the stack.

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);

function skipWhitespace(text: string, i: number): number {
  while (i < text.length && WHITESPACE.has(text[i])) i++;
  return i;
}

function skipString(text: string, i: number): number {
  i++;
  while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  return i + 1;
}

/** Index just past the value starting at `i`. */
function skipValue(text: string, i: number): number {
  const c = text[i];
  if (c === '"') return skipString(text, i);
  if (c !== '{' && c !== '[') {
    while (i < text.length && !',]}'.includes(text[i]) && !WHITESPACE.has(text[i])) i++;
    return i;
  }
  let depth = 0;
  while (i < text.length) {
    const d = text[i];
    if (d === '"') { i = skipString(text, i); continue; }
    if (d === '{' || d === '[') depth++;
    if (d === '}' || d === ']') depth--;
    i++;
    if (depth === 0) return i;
  }
  return i;
}

/** Offset of the value of `key` in the object at `i`; the last one wins, as in JSON.parse. */
function findKey(text: string, i: number, key: string): number | undefined {
  let found: number | undefined;
  i = skipWhitespace(text, i + 1);
  while (i < text.length && text[i] === '"') {
    const keyEnd = skipString(text, i);
    const name: unknown = JSON.parse(text.slice(i, keyEnd));
    const valueStart = skipWhitespace(text, skipWhitespace(text, keyEnd) + 1);
    if (name === key) found = valueStart;
    i = skipWhitespace(text, skipValue(text, valueStart));
    if (text[i] !== ',') break;
    i = skipWhitespace(text, i + 1);
  }
  return found;
}

function findIndex(text: string, i: number, index: number): number | undefined {
  i = skipWhitespace(text, i + 1);
  for (let n = 0; i < text.length && text[i] !== ']'; n++) {
    if (n === index) return i;
    i = skipWhitespace(text, skipValue(text, i));
    if (text[i] !== ',') return undefined;
    i = skipWhitespace(text, i + 1);
  }
  return undefined;
}

/**
 * Offset of the value at `path` in valid JSON `text`; when the path does not exist (a missing
 * key), the offset of its deepest existing ancestor.
 */
export function locateJsonPath(text: string, path: readonly PropertyKey[]): number {
  let at = skipWhitespace(text, 0);
  for (const segment of path) {
    let next: number | undefined;
    if (text[at] === '{' && typeof segment === 'string') next = findKey(text, at, segment);
    else if (text[at] === '[' && typeof segment === 'number') next = findIndex(text, at, segment);
    if (next === undefined) return at;
    at = next;
  }
  return at;
}
