// The scenario language: ONE zod schema is the validator, the source of the TypeScript types
// and (through jsonSchema.ts) the JSON Schema that editors use. Field docs live in the
// `.describe()` texts of the parts; LIMITS holds every maximum.
import { z } from 'zod';
import { scenarioObjectSchema } from './scenarioObject.js';
import { checkReferences } from './references.js';
import { checkWindows } from './windows.js';
import { reporterFor } from './report.js';
import { resolveScenario } from './resolve.js';
import { checkSql } from './sqlSchema.js';

export { LIMITS, CALL_KINDS, INVARIANT_NAMES, type CallKind, type InvariantName } from './limits.js';
export type { FaultStep } from './faultsSchema.js';
export type { OrderSpec } from './workloadSchema.js';
export type { GenerateSpec, Workload } from './resolve.js';

export const scenarioSchema = scenarioObjectSchema
  // Cross-field checks run only on a file whose every field is already valid: they may then
  // trust types and bounds (no node lists of a billion app servers), and the user fixes
  // local mistakes first.
  .superRefine((parsed, ctx) => {
    const report = reporterFor(ctx);
    checkReferences(parsed, report);
    checkWindows(parsed, report);
    checkSql(parsed.items, parsed.sql, report);
  }, { when: (payload) => payload.issues.length === 0 })
  .transform(resolveScenario);

/** What a scenario file may contain: every defaulted field optional. */
export type ScenarioInput = z.input<typeof scenarioSchema>;
/** A resolved scenario: every default filled in. This is what the simulator runs. */
export type Scenario = z.output<typeof scenarioSchema>;
