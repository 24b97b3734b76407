/**
 * SQL values and their arithmetic, with PostgreSQL's types and the JavaScript types `pg`
 * hands back (int4 -> number, int8 and numeric -> string, bool -> boolean, text -> string).
 * Numbers are exact: a bigint and a decimal scale, never a float, so that sums and
 * comparisons are the same on every machine.
 */

export const COLUMN_TYPES = ['int4', 'int8', 'numeric', 'text', 'bool'] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];
export type NumType = 'int4' | 'int8' | 'numeric';

/** An exact number: value = v / 10^scale. Integers have scale 0. */
export interface Num {
  readonly kind: 'num';
  readonly type: NumType;
  readonly v: bigint;
  readonly scale: number;
}

/** A value inside the engine. Text is a JS string, bool a JS boolean, null SQL NULL. */
export type Val = null | boolean | string | Num;

/** What `pg` returns for a value. */
export type JsVal = null | boolean | string | number;

/** A SQL error raised while evaluating (numeric overflow, division by zero, bad cast). */
export class EvalError {
  constructor(
    readonly sqlstate: string,
    readonly message: string,
  ) {}
}

const INT4_MIN = -(2n ** 31n);
const INT4_MAX = 2n ** 31n - 1n;
const INT8_MIN = -(2n ** 63n);
const INT8_MAX = 2n ** 63n - 1n;

export function isNum(v: Val): v is Num {
  return typeof v === 'object' && v !== null && v.kind === 'num';
}

export function num(type: NumType, v: bigint, scale = 0): Num {
  if (type === 'int4' && (v < INT4_MIN || v > INT4_MAX)) throw new EvalError('22003', 'integer out of range');
  if (type === 'int8' && (v < INT8_MIN || v > INT8_MAX)) throw new EvalError('22003', 'bigint out of range');
  return { kind: 'num', type, v, scale };
}

/** A literal integer takes the smallest of int4, int8, numeric that holds it (as PostgreSQL's lexer does). */
export function intLiteral(v: bigint): Num {
  if (v >= INT4_MIN && v <= INT4_MAX) return num('int4', v);
  if (v >= INT8_MIN && v <= INT8_MAX) return num('int8', v);
  return num('numeric', v);
}

/** Parse "12", "-3.50", "1e3" is refused (no exponents in the subset). */
export function parseDecimal(text: string, type: NumType = 'numeric'): Num | undefined {
  const m = /^\s*([+-]?)(\d*)(?:\.(\d*))?\s*$/.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const frac = m[3] ?? '';
  const v = BigInt((m[1] === '-' ? '-' : '') + (m[2] || '0') + frac);
  if (type !== 'numeric') {
    if (frac.replace(/0+$/, '') !== '') return undefined;
    return num(type, BigInt((m[1] === '-' ? '-' : '') + (m[2] || '0')));
  }
  return num('numeric', v, frac.length);
}

function rescale(a: Num, scale: number): bigint {
  return a.v * 10n ** BigInt(scale - a.scale);
}

function widen(a: NumType, b: NumType): NumType {
  if (a === 'numeric' || b === 'numeric') return 'numeric';
  if (a === 'int8' || b === 'int8') return 'int8';
  return 'int4';
}

export function compareNum(a: Num, b: Num): number {
  const s = Math.max(a.scale, b.scale);
  const x = rescale(a, s);
  const y = rescale(b, s);
  return x < y ? -1 : x > y ? 1 : 0;
}

export type ArithOp = '+' | '-' | '*' | '/' | '%';

export function arith(op: ArithOp, a: Num, b: Num): Num {
  const type = widen(a.type, b.type);
  const s = Math.max(a.scale, b.scale);
  switch (op) {
    case '+':
      return num(type, rescale(a, s) + rescale(b, s), s);
    case '-':
      return num(type, rescale(a, s) - rescale(b, s), s);
    case '*':
      return num(type, a.v * b.v, a.scale + b.scale);
    case '/':
    case '%': {
      if (b.v === 0n) throw new EvalError('22012', 'division by zero');
      if (type === 'numeric' && (a.scale > 0 || b.scale > 0) && op === '/') {
        throw new EvalError('0A000', "division of non-integral numeric values is not in oversold's SQL subset");
      }
      const x = rescale(a, s);
      const y = rescale(b, s);
      // bigint division truncates toward zero and % takes the dividend's sign, as PostgreSQL's do.
      return op === '/' ? num(type, x / y, 0) : num(type, x % y, s);
    }
  }
}

export function negate(a: Num): Num {
  return num(a.type, -a.v, a.scale);
}

/** SQL comparison of two non-null values; text is compared by code points (C collation). */
export function compareVals(a: Val, b: Val): number {
  if (a === null || b === null) throw new Error('compareVals called with NULL');
  if (isNum(a) && isNum(b)) return compareNum(a, b);
  if (isNum(a) && typeof b === 'string') return compareNum(a, coerceText(b, a.type));
  if (typeof a === 'string' && isNum(b)) return compareNum(coerceText(a, b.type), b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (typeof a === 'boolean' && typeof b === 'string') return compareVals(a, toBool(b));
  if (typeof a === 'string' && typeof b === 'boolean') return compareVals(toBool(a), b);
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  throw new EvalError('42883', `operator does not exist: ${typeName(a)} = ${typeName(b)}`);
}

function typeName(v: Val): string {
  if (isNum(v)) return v.type === 'int4' ? 'integer' : v.type === 'int8' ? 'bigint' : 'numeric';
  return typeof v === 'boolean' ? 'boolean' : 'text';
}

function coerceText(s: string, type: NumType): Num {
  const n = parseDecimal(s, type);
  if (!n) throw new EvalError('22P02', `invalid input syntax for type ${type === 'int4' ? 'integer' : type === 'int8' ? 'bigint' : 'numeric'}: "${s}"`);
  return n;
}

function toBool(s: string): boolean {
  const t = s.trim().toLowerCase();
  if (['t', 'true', 'y', 'yes', 'on', '1'].includes(t)) return true;
  if (['f', 'false', 'n', 'no', 'off', '0'].includes(t)) return false;
  throw new EvalError('22P02', `invalid input syntax for type boolean: "${s}"`);
}

/** A value as stored in a column of `type` (assignment cast, as INSERT and UPDATE do). */
export function toColumn(v: Val, type: ColumnType): Val {
  if (v === null) return null;
  switch (type) {
    case 'text':
      return typeof v === 'string' ? v : isNum(v) ? formatNum(v) : v ? 'true' : 'false';
    case 'bool':
      if (typeof v === 'boolean') return v;
      if (typeof v === 'string') return toBool(v);
      throw new EvalError('42804', 'column is of type boolean but expression is of type integer');
    default: {
      if (typeof v === 'boolean') throw new EvalError('42804', `column is of type ${type} but expression is of type boolean`);
      const n = typeof v === 'string' ? coerceText(v, type === 'numeric' ? 'numeric' : 'numeric') : v;
      if (type === 'numeric') return num('numeric', n.v, n.scale);
      // Integer columns round half away from zero, as PostgreSQL's numeric -> int cast does.
      return num(type, roundToScale(n, 0).v, 0);
    }
  }
}

function roundToScale(n: Num, scale: number): Num {
  if (n.scale <= scale) return { ...n, v: rescale(n, scale), scale };
  const d = 10n ** BigInt(n.scale - scale);
  const q = n.v / d;
  const r = n.v % d;
  const up = (r < 0n ? -r : r) * 2n >= d;
  return { ...n, v: up ? q + (n.v < 0n ? -1n : 1n) : q, scale };
}

export function formatNum(n: Num): string {
  if (n.scale === 0) return n.v.toString();
  const neg = n.v < 0n;
  const digits = (neg ? -n.v : n.v).toString().padStart(n.scale + 1, '0');
  return `${neg ? '-' : ''}${digits.slice(0, -n.scale)}.${digits.slice(-n.scale)}`;
}

/** The JavaScript value `pg` returns for this engine value. */
export function toJs(v: Val): JsVal {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  return v.type === 'int4' ? Number(v.v) : formatNum(v);
}

/** A parameter or initial-row value from JavaScript, as the engine holds it before it meets a column. */
export function fromJs(x: unknown): Val {
  if (x === null || x === undefined) return null;
  if (typeof x === 'boolean' || typeof x === 'string') return x;
  if (typeof x === 'bigint') return intLiteral(x);
  if (typeof x === 'number') {
    if (Number.isInteger(x)) return intLiteral(BigInt(x));
    const n = parseDecimal(String(x));
    if (n) return n;
  }
  throw new EvalError('22023', `a parameter must be null, a boolean, a string or a finite number (got ${String(x)})`);
}

/** A key for maps and equality of whole tuples (unique keys, result comparison). */
export function valKey(v: Val): string {
  if (v === null) return 'null';
  if (isNum(v)) {
    // 1.50 and 1.5 are the same key: drop trailing zeros of the scale.
    let x = v.v;
    let s = v.scale;
    while (s > 0 && x % 10n === 0n) {
      x /= 10n;
      s--;
    }
    return `n:${formatNum({ ...v, v: x, scale: s })}`;
  }
  return typeof v === 'boolean' ? `b:${v}` : `s:${v}`;
}
