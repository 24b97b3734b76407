// A JSON syntax checker that says where and why a file is not JSON, the same on every Node
// version (V8's messages change between releases and often omit the position). It is
// iterative, so hostile nesting cannot overflow the stack, and it enforces the nesting limit
// before JSON.parse ever sees the text.
import { LIMITS } from './limits.js';

export interface JsonSyntaxError {
  offset: number;
  expected: string;
  found: string;
  hint?: string;
}

type State = 'value' | 'key' | 'colon' | 'after';

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const NUMBER_PATTERN = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const WORD_PATTERN = /[A-Za-z_$][A-Za-z0-9_$]*/y;

function skipWhitespace(text: string, i: number): number {
  while (i < text.length && WHITESPACE.has(text[i])) i++;
  return i;
}

function wordAt(text: string, i: number): string | undefined {
  WORD_PATTERN.lastIndex = i;
  return WORD_PATTERN.exec(text)?.[0];
}

/** What the user wrote at `i`, for "found ...". */
function tokenAt(text: string, i: number): string {
  if (i >= text.length) return 'the end of the file';
  const word = wordAt(text, i);
  if (word !== undefined) return word.length > 20 ? `${word.slice(0, 20)}...` : word;
  return JSON.stringify(text[i]);
}

function hintAt(text: string, i: number): string | undefined {
  const c = text[i];
  const word = wordAt(text, i);
  if (c === "'") return 'JSON strings and keys use double quotes';
  if (c === '/' || c === '#') return 'JSON has no comments; put notes in "description"';
  if (c === '+') return 'JSON numbers have no "+" sign';
  if (c === '.') return 'write 0.5, not .5';
  if (word === 'NaN' || word === 'Infinity' || word === 'undefined') return 'JSON has no NaN, Infinity or undefined';
  return undefined;
}

/** Index just past the string starting at `start` (a '"'), or an error. */
function scanString(text: string, start: number): number | JsonSyntaxError {
  let i = start + 1;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === 0x22) return i + 1;
    if (code < 0x20) {
      return { offset: i, expected: 'a closing \'"\' or an escaped character', found: 'a raw control character',
        hint: 'write \\n for a line break and \\t for a tab inside strings' };
    }
    if (code === 0x5c) {
      const next = text[i + 1] ?? '';
      if (next === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          return { offset: i, expected: 'four hex digits after \\u', found: JSON.stringify(text.slice(i, i + 6)) };
        }
        i += 6;
        continue;
      }
      if (!'"\\/bfnrt'.includes(next) || next === '') {
        return { offset: i, expected: 'a valid escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)', found: tokenAt(text, i + 1),
          hint: 'write a backslash as \\\\' };
      }
      i += 2;
      continue;
    }
    i++;
  }
  return { offset: start, expected: 'a closing \'"\' for this string', found: 'the end of the file' };
}

/** Index just past the scalar (string, number, literal) at `i`, or an error. */
function scanScalar(text: string, i: number): number | JsonSyntaxError {
  const c = text[i];
  if (c === '"') return scanString(text, i);
  if (c === '-' || (c >= '0' && c <= '9')) {
    NUMBER_PATTERN.lastIndex = i;
    const number = NUMBER_PATTERN.exec(text)?.[0] ?? '';
    const end = i + number.length;
    const next = text[end] ?? '';
    if (number === '' || number === '-' || (next >= '0' && next <= '9') || next === '.' || next === 'e' || next === 'E') {
      return { offset: i, expected: 'a JSON number', found: JSON.stringify(text.slice(i, i + 12)),
        hint: 'JSON numbers have no leading zeros, and need digits on both sides of "."' };
    }
    return end;
  }
  for (const literal of ['true', 'false', 'null']) {
    if (text.startsWith(literal, i)) return i + literal.length;
  }
  return { offset: i, expected: 'a JSON value', found: tokenAt(text, i), hint: hintAt(text, i) };
}

/** Finds the first syntax error, or undefined when `text` is one valid JSON value. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const stack: ('{' | '[')[] = [];
  let state: State = 'value';
  let afterComma = false;
  let i = skipWhitespace(text, 0);
  if (i >= text.length) return { offset: i, expected: 'a JSON object', found: 'an empty file' };
  for (;;) {
    i = skipWhitespace(text, i);
    const c = text[i];
    const open = stack.at(-1);
    const close = open === '{' ? '}' : ']';
    if (state === 'after') {
      if (open === undefined) {
        if (i >= text.length) return undefined;
        return { offset: i, expected: 'the end of the file', found: tokenAt(text, i), hint: 'a file holds exactly one JSON object' };
      }
      if (c === ',') { i++; state = open === '{' ? 'key' : 'value'; afterComma = true; continue; }
      if (c === close) { stack.pop(); i++; continue; }
      const hint = i >= text.length ? `a "${open}" is never closed` : `a "," may be missing`;
      return { offset: i, expected: `"," or "${close}"`, found: tokenAt(text, i), hint };
    }
    if (state === 'colon') {
      if (c !== ':') return { offset: i, expected: '":" after the key', found: tokenAt(text, i) };
      i++;
      state = 'value';
      continue;
    }
    if ((state === 'key' || state === 'value') && c === close && open !== undefined) {
      if (afterComma) return { offset: i, expected: state === 'key' ? 'a key' : 'a value', found: tokenAt(text, i),
        hint: `JSON does not allow a comma before "${close}"` };
      if (state === 'key' || open === '[') { stack.pop(); i++; state = 'after'; continue; }
    }
    afterComma = false;
    if (state === 'key') {
      if (c !== '"') {
        return { offset: i, expected: 'a double-quoted key', found: tokenAt(text, i),
          hint: hintAt(text, i) ?? (wordAt(text, i) !== undefined ? 'JSON keys need double quotes' : undefined) };
      }
      const end = scanString(text, i);
      if (typeof end !== 'number') return end;
      i = end;
      state = 'colon';
      continue;
    }
    // state === 'value'
    if (c === '{' || c === '[') {
      if (stack.length >= LIMITS.nestingDepthMax) {
        return { offset: i, expected: `at most ${LIMITS.nestingDepthMax} levels of nesting`,
          found: 'arrays or objects nested too deeply', hint: 'a scenario needs about 6 levels' };
      }
      stack.push(c);
      i++;
      state = c === '{' ? 'key' : 'value';
      continue;
    }
    if (i >= text.length) {
      return { offset: i, expected: 'a JSON value', found: 'the end of the file',
        hint: open === undefined ? undefined : `a "${open}" is never closed` };
    }
    const end = scanScalar(text, i);
    if (typeof end !== 'number') return end;
    i = end;
    state = 'after';
  }
}

/** 1-based line and column (in UTF-16 units, as editors count) of an offset. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 0x0a) { line++; lineStart = i + 1; }
  }
  return { line, column: end - lineStart + 1 };
}
