// Every documented maximum of the scenario language, in one place. The schema, the loader,
// the JSON Schema and docs/scenarios.md all read these numbers; change them here only.

/** One day of virtual time: the longest any duration, delay or instant in a scenario may be. */
const DAY_MS = 86_400_000;

export const LIMITS = {
  /** A scenario file is small hand-written JSON; anything bigger is a mistake or an attack. */
  fileBytesMax: 1_048_576,
  /** Arrays and objects nest at most this deep (the schema itself needs 6 levels). */
  nestingDepthMax: 64,
  itemsMax: 100,
  stockMax: 100_000,
  appServersMax: 64,
  replicasMax: 8,
  /** Explicit orders, or `workload.generate.count`. */
  ordersMax: 10_000,
  linesPerOrderMax: 100,
  /** Any `...Ms` value: delays, instants, durations, windows. */
  msMax: DAY_MS,
  maxEventsMax: 10_000_000,
  maxTimeMsMax: DAY_MS,
  perMilleMax: 1000,
  driftPpmAbsMax: 1_000_000,
  stepsMax: 1000,
  linksMax: 1000,
  /** Node lists (partition sides, random-pause targets, generator apps). */
  nodeListMax: 100,
  /** A log entry number counts commits, so it can never exceed the event budget. */
  nthMax: 10_000_000,
  /** A call's attempt number (a process's calls of one kind). */
  attemptMax: 10_000_000,
  seedMax: 4_294_967_295,
  idLengthMax: 64,
  nameLengthMax: 200,
  descriptionLengthMax: 10_000,
  strategyOptionsMax: 100,
  strategyOptionStringLengthMax: 1000,
  invariantNamesMax: 20,
  /** How many problems one file reports before "and N more". */
  problemsShownMax: 20,
} as const;

/** The remote calls a fault step can target (`drop-request`, `delay-call`, ...). */
// One list of call kinds for the whole product: the services define them, steps target them.
export { CALL_KINDS, type CallKind } from '../inventory/types.js';

/**
 * Invariant names an `expect.violations` list may name: DESIGN.md's six plus the kernel's
 * `liveness` (did not go quiet) and `strategy-error` (placeOrder threw). Mirrors INVARIANTS in
 * src/inventory/invariants.ts; test/scenario/invariantNames.test.ts keeps the two equal.
 */
export const INVARIANT_NAMES = [
  'no-oversell', 'unique-units', 'conservation', 'acknowledged-is-sold', 'no-leak', 'charged-once',
  'liveness', 'strategy-error',
] as const;
export type InvariantName = (typeof INVARIANT_NAMES)[number];
