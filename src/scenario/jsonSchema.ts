// The JSON Schema of scenario files, generated from the zod schema so the two cannot drift.
// The committed copy (scenarios/schema/scenario.schema.json) is checked by a test; to
// regenerate it run:
//   npx tsx -e "import('./src/scenario/jsonSchema.ts').then(m => m.writeScenarioJsonSchema())"
import { writeFileSync } from 'node:fs';
import { z } from 'zod';
import { scenarioSchema } from './schema.js';
import { workloadInputSchema } from './workloadSchema.js';
import { strategyOptionsSchema, strategySchema } from './runSchema.js';
import { BUILT_IN_STRATEGY_NAMES } from './strategyOptions.js';
import { STRATEGY_OPTION_SPECS } from '../inventory/strategy.js';
import { LIMITS } from './limits.js';

export const SCENARIO_SCHEMA_PATH = 'scenarios/schema/scenario.schema.json';
// A URN, not a URL: the schema is shipped in the package, not served from anywhere.
export const SCENARIO_SCHEMA_ID = 'urn:oversold:schema:scenario:1';

/** Mirrors isStrategyPath (src/inventory/strategy.ts): a separator, or a JS/TS file extension. */
const STRATEGY_PATH_PATTERN = '[/\\\\]|\\.(m?[jt]s|cjs|mts|cts)$';

/** "every built-in strategy", "every built-in strategy but naive", or the list. */
function usedByText(usedBy: readonly string[]): string {
  const missing = BUILT_IN_STRATEGY_NAMES.filter((name) => !usedBy.includes(name));
  if (missing.length === 0) return 'every built-in strategy';
  return missing.length === 1 ? `every built-in strategy but ${missing[0]}` : usedBy.join(', ');
}

/**
 * `strategy` when its name is a built-in (or left out: "naive"): only the declared options,
 * each an integer in its range; otherwise the name must be a module path, options free-form.
 */
function strategyConditions(): Record<string, unknown> {
  const options = Object.fromEntries(Object.entries(STRATEGY_OPTION_SPECS).map(([name, spec]) => [name, {
    description: `${spec.meaning[0].toUpperCase()}${spec.meaning.slice(1)}. Used by ${usedByText(spec.usedBy)}.`,
    default: spec.default,
    type: spec.type,
    minimum: spec.min,
    maximum: spec.max,
  }]));
  return {
    if: { properties: { name: { enum: [...BUILT_IN_STRATEGY_NAMES] } } },
    then: { properties: { options: { properties: options, additionalProperties: false } } },
    else: { properties: { name: { pattern: STRATEGY_PATH_PATTERN } } },
  };
}

let cached: Record<string, unknown> | undefined;

/** The JSON Schema (draft 2020-12) of a scenario file: defaults are optional, unknown keys rejected. */
export function scenarioJsonSchema(): Record<string, unknown> {
  return structuredClone(sharedScenarioJsonSchema());
}

/** The cached schema itself, for read-only lookups inside src/scenario (issues.ts). */
export function sharedScenarioJsonSchema(): Readonly<Record<string, unknown>> {
  // io: 'input' describes what a file may contain (defaults optional), not the resolved form.
  if (cached === undefined) {
    const { $schema, ...body } = z.toJSONSchema(scenarioSchema, {
      io: 'input',
      target: 'draft-2020-12',
      override: (ctx) => {
        // "orders" or "generate", never both (zod checks this in a refinement).
        if (ctx.zodSchema === workloadInputSchema) ctx.jsonSchema.maxProperties = 1;
        // Checked in a refinement too: zod records have no size bound of their own.
        if (ctx.zodSchema === strategyOptionsSchema) ctx.jsonSchema.maxProperties = LIMITS.strategyOptionsMax;
        // Checked in a refinement too (strategyOptions.ts): a built-in's options, or a module path.
        if (ctx.zodSchema === strategySchema) Object.assign(ctx.jsonSchema, strategyConditions());
      },
    });
    cached = {
      $schema,
      $id: SCENARIO_SCHEMA_ID,
      title: 'oversold scenario',
      description: 'A chaos scenario for oversold: the inventory, the nodes, the orders, the network and the faults. '
        + 'Every field except items has a default. Reference: docs/scenarios.md.',
      ...body,
    };
  }
  return cached;
}

/** The exact text of the committed schema file: 2-space JSON and a trailing newline. */
export function renderScenarioJsonSchema(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}

/** Rewrites the committed schema file (run from the repository root). */
export function writeScenarioJsonSchema(path: string = SCENARIO_SCHEMA_PATH): void {
  writeFileSync(path, renderScenarioJsonSchema());
}
