// Turns zod issues into ScenarioProblems: picks the branch of a union that the user meant,
// names the real bounds (from the JSON Schema), and adds did-you-mean hints.
import type { z } from 'zod';
import { describeValue, abbreviateString } from './describeValue.js';
import { didYouMean } from './didYouMean.js';
import { sharedScenarioJsonSchema } from './jsonSchema.js';
import { quote, quoteList } from './report.js';
import { allowedKeys, describeExpected, ownChild, type SchemaNode, schemaNodeAt } from './schemaLookup.js';

type Issue = z.core.$ZodIssue;

/** A problem before it is given a file and a place in the text. */
export interface ProblemDraft {
  path: (string | number)[];
  /** Where in the text to point, when not at `path` itself (an unknown key points at its value). */
  at?: (string | number)[];
  expected: string;
  found: string;
  hint?: string;
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

interface Context {
  root: SchemaNode;
  rootValue: unknown;
}

function toSegments(path: readonly PropertyKey[]): (string | number)[] {
  return path.map((s) => (typeof s === 'number' ? s : String(s)));
}

function valueAt(ctx: Context, path: readonly (string | number)[]): unknown {
  let value = ctx.rootValue;
  for (const segment of path) value = ownChild(value, segment);
  return value;
}

function expectedAt(ctx: Context, path: (string | number)[], fallback: string): string {
  if (path.length === 0) return 'a JSON object (the scenario)';
  const node = schemaNodeAt(ctx.root, ctx.rootValue, path);
  return node === undefined ? fallback : describeExpected(node);
}

/**
 * Cross-field checks see orders in resolved form (always `lines`); point a single-item
 * order's problem back at the `item` the file actually has.
 */
function sourcePath(ctx: Context, path: (string | number)[]): (string | number)[] {
  const [w, o, index, lines, zero, item] = path;
  if (path.length !== 6 || w !== 'workload' || o !== 'orders' || lines !== 'lines' || zero !== 0 || item !== 'item') return path;
  const order = valueAt(ctx, path.slice(0, 3));
  const singleItem = ownChild(order, 'item') !== undefined && ownChild(order, 'lines') === undefined;
  return singleItem ? ['workload', 'orders', index, 'item'] : path;
}

function typeHint(expected: string, input: unknown): string | undefined {
  if (typeof input === 'string' && /^-?[0-9]+(\.[0-9]+)?$/.test(input.trim()) && expected.includes('integer')) {
    return 'remove the quotes: JSON numbers are written without them';
  }
  if (typeof input === 'number' && Number.isFinite(input) && !Number.isInteger(input) && expected.includes('integer')) {
    return 'all times, counts and rates are whole numbers (ms, per-mille, ppm)';
  }
  if (typeof input === 'number' && expected.startsWith('a ') && expected.includes('string')) {
    return `write it as a string: "${input}"`;
  }
  return undefined;
}

function unknownKeyDrafts(ctx: Context, path: (string | number)[], keys: readonly string[]): ProblemDraft[] {
  const node = schemaNodeAt(ctx.root, ctx.rootValue, path);
  const allowed = node === undefined ? [] : allowedKeys(node, valueAt(ctx, path));
  const expected = allowed.length === 0 ? 'no other keys' : `one of the keys ${quoteList(allowed, 6)}`;
  return keys.map((key) => {
    // A fault step of an older file: calls are now addressed by origin, not global send order.
    if (key === 'nth' && path.length === 3 && path[0] === 'faults' && path[1] === 'steps') {
      return { path: [...path, key], at: [...path, key], expected: 'a call addressed by its origin ("order" or "process", and "attempt")',
        found: '"nth" (a count in global send order, which changes with the interleaving)',
        hint: 'oversold validate <file> prints the equivalent step at the scenario\'s seed' };
    }
    let hint: string | undefined;
    if (FORBIDDEN_KEYS.has(key)) hint = `${quote(key)} is never a valid key`;
    else hint = didYouMean(key, allowed);
    return { path, at: [...path, key], expected, found: `unknown key ${abbreviateString(key)}`, hint };
  });
}

/** Which union branch did the user mean? The one that got deepest, then the one with fewest issues. */
function bestBranch(branches: Issue[][]): Issue[] {
  const depth = (issues: Issue[]) => Math.max(...issues.map((i) => i.path.length));
  let best = branches[0];
  for (const branch of branches.slice(1)) {
    const deeper = depth(branch) - depth(best);
    if (deeper > 0 || (deeper === 0 && branch.length < best.length)) best = branch;
  }
  return best;
}

function unionDrafts(ctx: Context, issue: Issue & { code: 'invalid_union' }, path: (string | number)[], depth: number): ProblemDraft[] {
  if (issue.discriminator !== undefined) {
    const options = ('options' in issue ? issue.options ?? [] : []).map(String);
    const found = valueAt(ctx, path);
    return [{ path, expected: `one of ${quoteList(options, 12)}`, found: describeValue(found),
      hint: typeof found === 'string' ? didYouMean(found, options) : undefined }];
  }
  const branches = issue.errors.filter((b) => b.length > 0);
  const typeLevel = (i: Issue) => i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_value');
  if (branches.length === 0 || branches.every((b) => b.every(typeLevel))) {
    // The value fits no branch at all: say what would fit.
    const values = branches.flat().flatMap((i) => (i.code === 'invalid_value' ? i.values.map(String) : []));
    const input = valueAt(ctx, path);
    const expected = expectedAt(ctx, path, 'a valid value');
    return [{ path, expected, found: describeValue(input),
      hint: (typeof input === 'string' ? didYouMean(input, values) : undefined) ?? typeHint(expected, input) }];
  }
  return bestBranch(branches).flatMap((i) => issueDrafts(ctx, i, path, depth + 1));
}

function issueDrafts(ctx: Context, issue: Issue, prefix: (string | number)[], depth: number): ProblemDraft[] {
  const path = [...prefix, ...toSegments(issue.path)];
  const input = issue.input;
  switch (issue.code) {
    case 'unrecognized_keys':
      return unknownKeyDrafts(ctx, path, issue.keys);
    case 'invalid_union':
      return depth < 8 ? unionDrafts(ctx, issue, path, depth) : [{ path, expected: 'a valid value', found: describeValue(input) }];
    case 'invalid_type': {
      const expected = expectedAt(ctx, path, `a value of type ${issue.expected}`);
      return [{ path, expected, found: describeValue(input), hint: typeHint(expected, input) }];
    }
    case 'too_big':
    case 'too_small':
      return [{ path, expected: expectedAt(ctx, path, issue.message), found: describeValue(input) }];
    case 'invalid_value': {
      const values = issue.values.map(String);
      return [{ path, expected: values.length === 1 ? quote(values[0]) : `one of ${quoteList(values, 12)}`,
        found: describeValue(input), hint: typeof input === 'string' ? didYouMean(input, values) : undefined }];
    }
    case 'invalid_format':
      // Our regexes carry a readable rule as their message (fields.ts, runSchema.ts).
      return [{ path, expected: issue.message, found: describeValue(input) }];
    case 'invalid_key': {
      const expected = issue.issues.find((i) => i.code === 'invalid_format')?.message ?? 'a valid key';
      return [{ path: path.slice(0, -1), expected, found: `key ${describeValue(path.at(-1))}` }];
    }
    case 'custom': {
      const at = sourcePath(ctx, path);
      const params = (issue.params ?? {}) as { expected?: string; found?: string; hint?: string };
      return [{ path: at, expected: params.expected ?? issue.message, found: params.found ?? describeValue(input), hint: params.hint }];
    }
    default:
      return [{ path, expected: issue.message, found: describeValue(input) }];
  }
}

/** Problems for the issues of one safeParse of `rootValue` (parsed with `reportInput: true`). */
export function draftsFromIssues(issues: readonly Issue[], rootValue: unknown): ProblemDraft[] {
  const ctx: Context = { root: sharedScenarioJsonSchema() as SchemaNode, rootValue };
  // One bad value can fail two checks (1e300 is neither a safe integer nor <= max): say it once.
  const seen = new Set<string>();
  return issues.flatMap((issue) => issueDrafts(ctx, issue, [], 0)).filter((draft) => {
    const key = JSON.stringify([draft.path, draft.at ?? null, draft.expected, draft.found]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
