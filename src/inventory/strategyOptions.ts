import { InputError } from '../errors.js';

/** What one built-in option accepts and means. */
export interface StrategyOptionSpec {
  /** Every built-in option is a whole number: a JSON integer in a scenario file. */
  readonly type: 'integer';
  readonly min: number;
  readonly max: number;
  /** The value when a scenario leaves it out. */
  readonly default: number;
  /** One line: what it means. */
  readonly meaning: string;
  /** The built-in strategies that read it (by CLI name); the others ignore it. */
  readonly usedBy: readonly string[];
}

/** One day, in ms: the longest a timeout, backoff or wall-clock lease may be (as any `...Ms` of a scenario). */
const DAY_MS = 86_400_000;
const COUNTER_STRATEGIES = [
  'conditional-decrement', 'compare-and-set', 'reservation', 'lock-fencing', 'naive', 'lock-lease', 'wall-clock-expiry', 'retry-without-idempotency',
  'confirm-gives-up', 'recovery-skips-expired', 'reservation-per-line', 'locked-replica-read', 'unfenced-confirm',
] as const;
/** The rare races built on reservation: they read what reservation reads. */
const RESERVATION_RACES = ['confirm-gives-up', 'recovery-skips-expired', 'reservation-per-line', 'unfenced-confirm'] as const;
/** The SQL strategies (strategies/sql/): they talk to the SQL server through ctx.sql. */
const SQL_STRATEGIES = [
  'sql-read-then-write', 'sql-unguarded-decrement', 'sql-guarded-decrement', 'sql-for-update', 'sql-for-update-autocommit',
  'sql-repeatable-read-retry', 'sql-serializable-retry', 'sql-repeatable-read-no-retry', 'sql-serializable-no-retry',
  'sql-sum-then-insert-repeatable-read', 'sql-sum-then-insert-serializable', 'sql-reduced-flag',
] as const;

/**
 * The built-in strategies' options, in one place: type, range, default, meaning and which
 * strategies read them. Everything else is derived from it: the defaults, the typed
 * `StrategyOptions`, the run-time check (`resolveStrategyOptions`), the scenario loader's check
 * (src/scenario/strategyOptions.ts), the JSON Schema, and the tables in docs/strategies.md and
 * docs/scenarios.md (a test keeps them equal).
 */
const SPECS = {
  timeoutMs: {
    type: 'integer', min: 1, max: DAY_MS, default: 1000,
    meaning: 'how long an app server waits for a reply before the outcome is unknown (ms)',
    usedBy: COUNTER_STRATEGIES,
  },
  retries: {
    type: 'integer', min: 0, max: 10_000, default: 5,
    meaning: 'retries of a call that may be abandoned (a release), fenced-out rounds of lock-fencing, retries of retry-without-idempotency',
    usedBy: ['reservation', 'lock-fencing', 'wall-clock-expiry', 'retry-without-idempotency', ...RESERVATION_RACES],
  },
  backoffMs: {
    type: 'integer', min: 0, max: DAY_MS, default: 50,
    meaning: 'pause between retries (ms), doubled each time, capped at 8x',
    usedBy: [...COUNTER_STRATEGIES.filter((s) => s !== 'naive'), 'sql-repeatable-read-retry', 'sql-serializable-retry', 'sql-sum-then-insert-repeatable-read', 'sql-sum-then-insert-serializable'],
  },
  leaseTicks: {
    type: 'integer', min: 1, max: 10_000_000, default: 60,
    meaning: 'reservation and lock leases, in ticks of the granting service\'s logical clock',
    usedBy: ['reservation', 'lock-fencing', 'lock-lease', ...RESERVATION_RACES.slice(0, 3), 'locked-replica-read', 'unfenced-confirm'],
  },
  leaseMs: {
    type: 'integer', min: 1, max: DAY_MS, default: 3000,
    meaning: 'its (wrong) reservation lease, in ms of the app server\'s own clock',
    usedBy: ['wall-clock-expiry'],
  },
  lockAttempts: {
    type: 'integer', min: 1, max: 1_000_000, default: 200,
    meaning: 'how many times to ask for a busy lock before answering FAILED',
    usedBy: ['lock-fencing', 'lock-lease', 'locked-replica-read'],
  },
  persistAttempts: {
    type: 'integer', min: 1, max: 1_000_000, default: 100,
    meaning: 'attempts at a call whose outcome must be known (decrement, cas, charge, confirm, ...); then the order is left unanswered, never guessed',
    usedBy: ['conditional-decrement', 'compare-and-set', 'reservation', 'lock-fencing', 'lock-lease', 'wall-clock-expiry', ...RESERVATION_RACES.slice(0, 3), 'locked-replica-read', 'unfenced-confirm'],
  },
  conflictRetries: {
    type: 'integer', min: 0, max: 1_000_000, default: 50,
    meaning: 'version mismatches (compare-and-set) or serialization failures, SQLSTATE 40001 (the SQL strategies that retry), tolerated before FAILED: each means another order committed first',
    usedBy: ['compare-and-set', 'sql-repeatable-read-retry', 'sql-serializable-retry', 'sql-sum-then-insert-repeatable-read', 'sql-sum-then-insert-serializable'],
  },
  sqlTimeoutMs: {
    type: 'integer', min: 1, max: DAY_MS, default: 30_000,
    meaning: 'how long ctx.sql waits for a statement\'s reply before its outcome is unknown and the connection is dropped (ms); a statement may wait for row locks meanwhile',
    usedBy: SQL_STRATEGIES,
  },
} satisfies Readonly<Record<string, StrategyOptionSpec>>;

export type BuiltInOptionName = keyof typeof SPECS;

export const STRATEGY_OPTION_SPECS: { readonly [K in BuiltInOptionName]: StrategyOptionSpec } = SPECS;

/** The built-in options, each present and an integer in its range once resolved. */
export type BuiltInOptions = { readonly [K in BuiltInOptionName]: number };

/** What a user strategy's own option may be (a JSON scalar in a scenario file). */
export type StrategyOptionValue = number | string | boolean;

/**
 * What `ctx.options` holds: every built-in option, resolved (the scenario's value or the
 * default), plus any key of a user strategy's own. Built by `resolveStrategyOptions`, so a
 * strategy reads `ctx.options.leaseTicks` as it is, with no fallback of its own.
 */
export type StrategyOptions = BuiltInOptions & { readonly [key: string]: StrategyOptionValue };

/** The built-in option names, in the order of STRATEGY_OPTION_SPECS. */
export const BUILT_IN_OPTION_NAMES = Object.keys(STRATEGY_OPTION_SPECS) as readonly BuiltInOptionName[];

/** The defaults, read off STRATEGY_OPTION_SPECS. */
export const DEFAULT_STRATEGY_OPTIONS: BuiltInOptions = Object.fromEntries(
  BUILT_IN_OPTION_NAMES.map((name) => [name, STRATEGY_OPTION_SPECS[name].default]),
) as Record<BuiltInOptionName, number>;

type OptionLayer = Readonly<Record<string, StrategyOptionValue | undefined>>;

/**
 * The options a run hands its strategy: the layers merged over the defaults (a later layer
 * wins; a key set to undefined counts as absent), each built-in option checked once here. A
 * built-in option that is not an integer in its range is an InputError naming it; other keys
 * pass through for user strategies.
 */
export function resolveStrategyOptions(...layers: ReadonlyArray<OptionLayer | undefined>): StrategyOptions {
  const out: Record<string, StrategyOptionValue> = { ...DEFAULT_STRATEGY_OPTIONS };
  for (const layer of layers) {
    if (layer === undefined) continue;
    for (const [key, value] of Object.entries(layer)) if (value !== undefined) out[key] = value;
  }
  for (const name of BUILT_IN_OPTION_NAMES) {
    const spec = STRATEGY_OPTION_SPECS[name];
    const value = out[name];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < spec.min || value > spec.max) {
      throw new InputError(
        `strategy option ${name}: expected an integer from ${spec.min} to ${spec.max}, found ${JSON.stringify(value)} (${spec.meaning}; default ${spec.default})`,
        'BAD_STRATEGY_OPTION',
      );
    }
  }
  return out as StrategyOptions;
}

/**
 * True when a strategy reference names a module file rather than a built-in: it contains a
 * path separator or ends in a JavaScript or TypeScript extension (the rule `--strategy`,
 * loadStrategy and the scenario loader follow).
 */
export function isStrategyPath(nameOrPath: string): boolean {
  return nameOrPath.includes('/') || nameOrPath.includes('\\') || /\.(m?[jt]s|cjs|mts|cts)$/.test(nameOrPath);
}
