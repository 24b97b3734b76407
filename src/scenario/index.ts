// The public surface of the scenario language.
export {
  scenarioSchema,
  LIMITS,
  CALL_KINDS,
  INVARIANT_NAMES,
  type Scenario,
  type ScenarioInput,
  type FaultStep,
  type OrderSpec,
  type GenerateSpec,
  type Workload,
  type CallKind,
  type InvariantName,
} from './schema.js';
export { parseScenario, loadScenarioFile, scenarioNameFromFile, type ScenarioResult } from './load.js';
export { loadScenario, resolveScenarioRef, builtinScenarioNames, builtinScenarioPath, builtinScenariosHint, BUILTIN_SCENARIOS_DIR } from './builtin.js';
export { formatProblem, type ScenarioProblem } from './problem.js';
export { validateFiles, type ValidateResult } from './validate.js';
export {
  scenarioJsonSchema,
  renderScenarioJsonSchema,
  writeScenarioJsonSchema,
  SCENARIO_SCHEMA_PATH,
  SCENARIO_SCHEMA_ID,
} from './jsonSchema.js';
export { defaultOrderCount } from './resolve.js';
export {
  scenario,
  ScenarioBuilder,
  ScenarioBuildError,
  type ExpectedViolations,
  type CallBy,
  type MessageBy,
  type ItemInput,
  type ReplicaInput,
  type NetworkInput,
  type OrderInput,
  type GenerateInput,
  type PaymentInput,
  type RandomPausesInput,
  type ClockSkewInput,
  type FaultStepInput,
  type StrategyOptionsInput,
  type LimitsInput,
} from './builder.js';
