// Reads the generated JSON Schema to explain a problem: which keys an object allows and
// what a field expects ("an integer from 0 to 86400000"), so messages show the real bounds.
import { quoteList } from './report.js';

export type SchemaNode = Record<string, unknown>;

function isNode(value: unknown): value is SchemaNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function variantsOf(node: SchemaNode): SchemaNode[] | undefined {
  const list = node.anyOf ?? node.oneOf;
  return Array.isArray(list) ? list.filter(isNode) : undefined;
}

/** The own property of a parsed JSON value: never reads through the prototype chain. */
export function ownChild(value: unknown, key: PropertyKey): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) return typeof key === 'number' ? value[key] : undefined;
  return typeof key === 'string' && Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

/** Picks the union variant that fits `value`: the `kind` it names, else the first object variant with the key. */
function pickVariant(variants: SchemaNode[], value: unknown, next: PropertyKey | undefined): SchemaNode | undefined {
  const kind = ownChild(value, 'kind');
  const byKind = variants.find((v) => isNode(v.properties) && isNode(v.properties.kind) && v.properties.kind.const === kind);
  if (byKind !== undefined) return byKind;
  if (typeof next === 'string') {
    const withKey = variants.find((v) => isNode(v.properties) && Object.hasOwn(v.properties, next));
    if (withKey !== undefined) return withKey;
  }
  if (typeof next === 'number') return variants.find((v) => v.type === 'array');
  return variants.find((v) => v.type === 'object');
}

/** Unwraps unions down to the one variant that fits `value`, or returns the node itself. */
export function resolveNode(node: SchemaNode, value: unknown, next?: PropertyKey): SchemaNode {
  for (let depth = 0; depth < 8; depth++) {
    const variants = variantsOf(node);
    if (variants === undefined) return node;
    const picked = pickVariant(variants, value, next);
    if (picked === undefined) return node;
    node = picked;
  }
  return node;
}

/** The schema node at `path` inside the document `root` (whose value is `rootValue`). */
export function schemaNodeAt(root: SchemaNode, rootValue: unknown, path: readonly PropertyKey[]): SchemaNode | undefined {
  let node: SchemaNode = root;
  let value = rootValue;
  for (const segment of path) {
    node = resolveNode(node, value, segment);
    let child: unknown;
    if (typeof segment === 'number') child = node.items;
    else if (typeof segment === 'string') {
      child = isNode(node.properties) && Object.hasOwn(node.properties, segment) ? node.properties[segment] : undefined;
      if (child === undefined && isNode(node.additionalProperties)) child = node.additionalProperties;
    }
    if (!isNode(child)) return undefined;
    node = child;
    value = ownChild(value, segment);
  }
  return node;
}

/** Keys an object node allows (after picking the variant that fits `value`). */
export function allowedKeys(node: SchemaNode, value: unknown): string[] {
  const resolved = resolveNode(node, value);
  return isNode(resolved.properties) ? Object.keys(resolved.properties) : [];
}

function entries(n: number): string {
  return n === 1 ? '1 entry' : `${n} entries`;
}

function describeArray(node: SchemaNode): string {
  const min = typeof node.minItems === 'number' ? node.minItems : 0;
  const max = typeof node.maxItems === 'number' ? node.maxItems : undefined;
  if (max === undefined) return min > 0 ? `an array of at least ${entries(min)}` : 'an array';
  return min > 0 ? `an array of ${min} to ${entries(max)}` : `an array of at most ${entries(max)}`;
}

function describeOne(node: SchemaNode): string {
  if (node.const !== undefined) return JSON.stringify(node.const);
  if (Array.isArray(node.enum)) {
    return node.enum.length === 1 ? JSON.stringify(node.enum[0]) : `one of ${quoteList(node.enum.map(String), 12)}`;
  }
  const type = node.type;
  if (Array.isArray(type)) return type.map((t) => describeOne({ type: t })).join(' or ');
  switch (type) {
    case 'integer': {
      const min = node.minimum;
      const max = node.maximum;
      // zod's plain int() carries the safe-integer range, which says nothing useful.
      const bounded = typeof min === 'number' && typeof max === 'number' && max < Number.MAX_SAFE_INTEGER;
      return bounded ? `an integer from ${min} to ${max}` : 'an integer';
    }
    case 'number': return 'a number';
    case 'string': {
      const nonEmpty = typeof node.minLength === 'number' && node.minLength > 0 ? 'non-empty ' : '';
      return typeof node.maxLength === 'number' ? `a ${nonEmpty}string of at most ${node.maxLength} characters` : `a ${nonEmpty}string`;
    }
    case 'boolean': return 'true or false';
    case 'null': return 'null';
    case 'array': return describeArray(node);
    case 'object': return 'an object';
    default: return 'a valid value';
  }
}

/** "an integer from 0 to 1000", "one of "none", "any" or an array of ...". */
export function describeExpected(node: SchemaNode): string {
  const variants = variantsOf(node);
  if (variants === undefined) return describeOne(node);
  const labels = variants.flatMap((v) => (variantsOf(v) === undefined ? [describeOne(v)] : [describeExpected(v)]));
  return [...new Set(labels)].join(' or ');
}
