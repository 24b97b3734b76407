// docs/scenarios.md is the reference of the scenario language: it must mention every field
// of the schema, and where it states a default or a range, agree with the schema.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CALL_KINDS, INVARIANT_NAMES, scenarioJsonSchema } from '../../src/scenario/index.js';
import { leafPaths } from './schemaPaths.js';

const DOCS = readFileSync('docs/scenarios.md', 'utf8');

type Node = Record<string, unknown>;

/** Every schema node reachable at a docs path (a step field exists once per kind). */
function nodesAt(root: Node, path: string): Node[] {
  let nodes: Node[] = [root];
  for (const segment of path.split('.')) {
    const [key, ...arrays] = segment.split('[]');
    const next: Node[] = [];
    for (const node of nodes.flatMap(expand)) {
      const props = node.properties as Record<string, Node> | undefined;
      if (props && Object.hasOwn(props, key)) next.push(props[key]);
    }
    nodes = next;
    for (let i = 0; i < arrays.length; i++) {
      nodes = nodes.flatMap(expand).flatMap((n) => (n.items ? [n.items as Node] : []));
    }
  }
  return nodes;
}

function expand(node: Node): Node[] {
  const variants = [...((node.anyOf ?? []) as Node[]), ...((node.oneOf ?? []) as Node[])];
  return variants.length === 0 ? [node] : [node, ...variants.flatMap(expand)];
}

interface Row { path: string; defaultText: string; range: string }

function referenceRows(): Row[] {
  const rows: Row[] = [];
  for (const line of DOCS.split('\n')) {
    // | `path` | type | default | range | meaning |
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    const path = /^`([$a-zA-Z][^`]*)`$/.exec(cells[0] ?? '')?.[1];
    if (cells.length === 5 && path !== undefined && !path.includes('..')) {
      rows.push({ path, defaultText: cells[2], range: cells[3] });
    }
  }
  return rows;
}

describe('docs/scenarios.md', () => {
  const schema = scenarioJsonSchema();
  const leaves = [...leafPaths(schema)];

  it('mentions every leaf field of the schema', () => {
    expect(leaves.length).toBeGreaterThan(50);
    expect(leaves.filter((path) => !DOCS.includes(`\`${path}\``))).toEqual([]);
  });

  it('has a reference row for every leaf field, and rows only for real fields', () => {
    const rows = referenceRows().map((r) => r.path);
    expect(leaves.filter((path) => !rows.includes(path))).toEqual([]);
    expect(rows.filter((path) => nodesAt(schema, path).length === 0)).toEqual([]);
  });

  it('states the schema default and range in each row', () => {
    const wrong: string[] = [];
    for (const row of referenceRows()) {
      for (const node of nodesAt(schema, row.path).flatMap(expand)) {
        if (node.default !== undefined && row.defaultText !== `\`${JSON.stringify(node.default)}\``) {
          wrong.push(`${row.path}: default ${row.defaultText}, schema says ${JSON.stringify(node.default)}`);
        }
        if (node.type === 'integer') {
          const range = row.range.replace(/[_,]/g, '');
          if (!range.includes(`${node.minimum}..${node.maximum}`)) {
            wrong.push(`${row.path}: range ${row.range}, schema says ${node.minimum}..${node.maximum}`);
          }
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('names every step kind, call kind and invariant', () => {
    const kinds = ['pause', 'crash', 'partition', 'clock', 'drop-request', 'drop-reply', 'duplicate-request', 'delay-call', 'payment-fail'];
    const missing = [...kinds, ...CALL_KINDS, ...INVARIANT_NAMES].filter((name) => !DOCS.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });

  it('documents the commands that check and describe scenarios', () => {
    expect(DOCS).toContain('oversold validate <files...>');
    expect(DOCS).toContain('oversold schema');
  });
});
