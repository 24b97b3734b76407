// The shape of a scenario file, before cross-field checks and computed defaults
// (schema.ts adds those). Every nested object is `.prefault({})` so that an absent section
// still gets its inner defaults: in zod 4 `.default({})` would skip them.
import { z } from 'zod';
import { LIMITS } from './limits.js';
import { intIn, itemId } from './fields.js';
import { networkSchema, paymentSchema, topologySchema } from './systemSchema.js';
import { workloadSchema } from './workloadSchema.js';
import { faultsSchema } from './faultsSchema.js';
import { expectSchema, exploreSchema, limitsSchema, strategySchema } from './runSchema.js';
import { sqlSchema } from './sqlSchema.js';

const itemSchema = z.strictObject({
  id: itemId().describe('Item id. Its physical units are named `${id}#1`..`${id}#${stock}`.'),
  stock: intIn(0, LIMITS.stockMax).describe('Units in stock at time 0.'),
});

export const scenarioObjectSchema = z.strictObject({
  $schema: z.string().max(LIMITS.descriptionLengthMax).optional()
    .describe('Path or URL of the JSON Schema, for editors; ignored by oversold.'),
  name: z.string().min(1).max(LIMITS.nameLengthMax).optional()
    .describe('Scenario name used in reports. Default: the file name without ".json".'),
  description: z.string().max(LIMITS.descriptionLengthMax).default('')
    .describe('Free text: what this scenario is meant to show.'),
  seed: intIn(0, LIMITS.seedMax).default(1)
    .describe('Root seed (uint32) for every random stream; --seed on the command line overrides it.'),
  items: z.array(itemSchema).min(1).max(LIMITS.itemsMax)
    .describe('The inventory: every item on sale and its stock. Required.'),
  topology: topologySchema.prefault({}).describe('Which nodes exist.'),
  network: networkSchema.prefault({}).describe('Message delays and random message faults.'),
  payment: paymentSchema.prefault({}).describe('The payment provider node "payment".'),
  workload: workloadSchema.prefault({})
    .describe('The orders: either {"orders": [...]} or {"generate": {...}}. Default: generate with its defaults.'),
  faults: faultsSchema.prefault({}).describe('Fault injection: random chaos and explicit steps.'),
  sql: sqlSchema.optional()
    .describe('The SQL server "sql" and its tables, for strategies that speak SQL (ctx.sql; docs/sql.md). {} gives the default items table (id, stock), one row per item. Absent: a SQL strategy still gets that default.'),
  strategy: strategySchema.prefault({}).describe('The placeOrder strategy under test.'),
  limits: limitsSchema.prefault({}).describe('Budgets that end a run.'),
  timing: z.enum(['sampled', 'windowed']).default('sampled')
    .describe('How delays are decided. "sampled": each message delay (and replica lag, payment time, generated arrival) is drawn when it starts, and events fire in time order. "windowed": each is a window [min, max] and the scheduler picks, among the events real time allows next, which fires (docs/exploration.md). --timing on the command line overrides it.'),
  explore: exploreSchema.optional()
    .describe('Fault bounds for oversold explore (docs/exploration.md, "oversold explore"); its --max-* flags override them. Absent: no faults.'),
  expect: expectSchema.nullable().default(null)
    .describe('The expected verdict, for scenario regression tests; null: no expectation.'),
});

/** A scenario after shape validation: structurally sound, computed defaults still missing. */
export type ParsedScenario = z.output<typeof scenarioObjectSchema>;
