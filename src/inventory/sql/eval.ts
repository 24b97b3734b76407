/** Expression evaluation with SQL's three-valued logic. Errors are thrown as EvalError and caught by the executor. */
import type { Expr } from './compiled.js';
import { arith, compareVals, EvalError, isNum, negate, parseDecimal, toColumn, type Num, type Val } from './values.js';

export interface EvalEnv {
  readonly row?: readonly Val[];
  readonly params: readonly Val[];
  readonly aggs?: readonly Val[];
}

function asNum(v: Val, other: Val): Num {
  if (isNum(v)) return v;
  if (typeof v === 'string') {
    const n = parseDecimal(v, isNum(other) ? other.type : 'numeric');
    if (n) return n;
    throw new EvalError('22P02', `invalid input syntax for type integer: "${v}"`);
  }
  throw new EvalError('42883', 'operator does not exist: boolean arithmetic');
}

export function evaluate(e: Expr, env: EvalEnv): Val {
  switch (e.k) {
    case 'const':
      return e.v;
    case 'param': {
      if (e.n > env.params.length) throw new EvalError('08P01', `there is no parameter $${e.n}`);
      return env.params[e.n - 1];
    }
    case 'col':
      return env.row![e.i];
    case 'cmp': {
      const a = evaluate(e.a, env);
      const b = evaluate(e.b, env);
      if (a === null || b === null) return null;
      const c = compareVals(a, b);
      switch (e.op) {
        case '=':
          return c === 0;
        case '<>':
          return c !== 0;
        case '<':
          return c < 0;
        case '<=':
          return c <= 0;
        case '>':
          return c > 0;
        case '>=':
          return c >= 0;
      }
    }
    // falls through (unreachable: the switch above returns)
    case 'arith': {
      const a = evaluate(e.a, env);
      const b = evaluate(e.b, env);
      if (a === null || b === null) return null;
      return arith(e.op, asNum(a, b), asNum(b, a));
    }
    case 'neg': {
      const a = evaluate(e.a, env);
      return a === null ? null : negate(asNum(a, null));
    }
    case 'and': {
      let sawNull = false;
      for (const x of e.args) {
        const v = truth(evaluate(x, env));
        if (v === false) return false;
        if (v === null) sawNull = true;
      }
      return sawNull ? null : true;
    }
    case 'or': {
      let sawNull = false;
      for (const x of e.args) {
        const v = truth(evaluate(x, env));
        if (v === true) return true;
        if (v === null) sawNull = true;
      }
      return sawNull ? null : false;
    }
    case 'not': {
      const v = truth(evaluate(e.a, env));
      return v === null ? null : !v;
    }
    case 'in': {
      const a = evaluate(e.a, env);
      if (a === null) return null;
      let sawNull = false;
      for (const x of e.list) {
        const v = evaluate(x, env);
        if (v === null) sawNull = true;
        else if (compareVals(a, v) === 0) return !e.negated;
      }
      return sawNull ? null : e.negated;
    }
    case 'between': {
      const a = evaluate(e.a, env);
      const lo = evaluate(e.lo, env);
      const hi = evaluate(e.hi, env);
      if (a === null || lo === null || hi === null) return null;
      const inside = compareVals(a, lo) >= 0 && compareVals(a, hi) <= 0;
      return inside !== e.negated;
    }
    case 'isnull':
      return (evaluate(e.a, env) === null) !== e.negated;
    case 'cast':
      return toColumn(evaluate(e.a, env), e.type);
    case 'coalesce':
      for (const x of e.args) {
        const v = evaluate(x, env);
        // The result has the arguments' common type: COALESCE(SUM(int4), 0) is int8, "0".
        if (v !== null) return e.type && isNum(v) ? toColumn(v, e.type) : v;
      }
      return null;
    case 'agg':
      return env.aggs![e.slot];
  }
}

function truth(v: Val): boolean | null {
  if (v === null || typeof v === 'boolean') return v;
  throw new EvalError('42804', 'argument of AND/OR/NOT must be type boolean');
}

/** WHERE semantics: a row qualifies only when the predicate is true (not false, not null). */
export function qualifies(where: Expr | undefined, env: EvalEnv): boolean {
  if (!where) return true;
  const v = evaluate(where, env);
  if (v !== null && typeof v !== 'boolean') throw new EvalError('42804', 'argument of WHERE must be type boolean');
  return v === true;
}
