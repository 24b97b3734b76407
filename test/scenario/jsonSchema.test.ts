import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderScenarioJsonSchema, scenarioJsonSchema, SCENARIO_SCHEMA_PATH } from '../../src/scenario/index.js';

const REGENERATE = `npx tsx -e "import('./src/scenario/jsonSchema.ts').then(m => m.writeScenarioJsonSchema())"`;

type Node = Record<string, unknown>;

/** Every property schema in the document, with its dotted path. */
function properties(node: Node, path: string, out: [string, Node][] = []): [string, Node][] {
  const props = (node.properties ?? {}) as Record<string, Node>;
  for (const [key, child] of Object.entries(props)) {
    out.push([`${path}${key}`, child]);
    properties(child, `${path}${key}.`, out);
  }
  if (typeof node.items === 'object') properties(node.items as Node, `${path.replace(/\.$/, '')}[].`, out);
  for (const variant of [...((node.anyOf ?? []) as Node[]), ...((node.oneOf ?? []) as Node[])]) properties(variant, path, out);
  return out;
}

describe('scenario JSON Schema', () => {
  it('matches the committed scenarios/schema/scenario.schema.json', () => {
    const committed = readFileSync(SCENARIO_SCHEMA_PATH, 'utf8');
    expect(committed, `the committed schema is stale; regenerate it with:\n  ${REGENERATE}`).toBe(renderScenarioJsonSchema());
  });

  it('is 2-space JSON with a trailing newline, and names itself', () => {
    const text = renderScenarioJsonSchema();
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n')[1]).toMatch(/^ {2}"/);
    const schema = scenarioJsonSchema();
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe('urn:oversold:schema:scenario:1');
    expect(schema.title).toBe('oversold scenario');
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['items']);
  });

  it('describes every field, so editors show a tooltip for each', () => {
    const undocumented = properties(scenarioJsonSchema(), '')
      .filter(([, node]) => typeof node.description !== 'string' || node.description === '')
      .map(([path]) => path);
    expect(undocumented).toEqual([]);
  });

  it('returns a fresh copy each time (callers may mutate it)', () => {
    const a = scenarioJsonSchema();
    a.title = 'changed';
    expect(scenarioJsonSchema().title).toBe('oversold scenario');
  });
});
