import type { OrderLine } from './types.js';
import type { FaultStepConfig } from './faultSteps.js';
import type { TableSpec } from './sql/types.js';

/**
 * What the inventory world needs to know. The resolved scenario type has exactly these
 * fields (the scenario layer sits above this one and passes itself in).
 */
export interface WorldConfig {
  readonly items: ReadonlyArray<{ readonly id: string; readonly stock: number }>;
  readonly topology: {
    readonly appServers: number;
    readonly replicas: ReadonlyArray<{ readonly lagMsMin: number; readonly lagMsMax: number }>;
    readonly readFrom: 'primary' | 'replicas';
    readonly dbTickMs: number;
  };
  readonly network: {
    readonly delayMsMin: number;
    readonly delayMsMax: number;
    readonly dropRequestPerMille: number;
    readonly dropReplyPerMille: number;
    readonly duplicatePerMille: number;
    readonly reorderPerMille: number;
    readonly links: ReadonlyArray<{ readonly from: string; readonly to: string; readonly delayMsMin: number; readonly delayMsMax: number }>;
  };
  readonly payment: PaymentConfig;
  readonly workload: WorkloadConfig;
  readonly faults: FaultsConfig;
  /** The SQL server's tables (sqlNode.ts); absent or null: no SQL server unless the strategy speaks SQL (then the default items table). */
  readonly sql?: SqlConfig | null;
}

/**
 * The SQL server: its tables, which column is an item's stock, where reservations are kept (if
 * in a table), and PostgreSQL's deadlock_timeout. The invariants' unit ledger follows the
 * committed values of these columns (sqlLedger.ts).
 */
export interface SqlConfig {
  readonly tables: readonly TableSpec[];
  /** An item's stock: `column` of the row of `table` whose `key` column is the item id. */
  readonly stock: { readonly table: string; readonly key: string; readonly column: string };
  /** Reservations kept as rows: the item of a row is `item`, its quantity `qty`; they count against the stock. */
  readonly reservations: { readonly table: string; readonly item: string; readonly qty: string } | null;
  /** PostgreSQL's deadlock_timeout: how long a statement waits before the server looks for a deadlock (default 1000). */
  readonly deadlockTimeoutMs: number;
}

export interface PaymentConfig {
  readonly delayMsMin: number;
  readonly delayMsMax: number;
  readonly failPerMille: number;
}

export type WorkloadConfig = (
  | { readonly orders: ReadonlyArray<{ readonly atMs: number; readonly app: string; readonly lines: readonly OrderLine[]; readonly redelivered?: { readonly atMs: number; readonly app: string } }> }
  | { readonly generate: { readonly count: number; readonly windowMs: number; readonly item: string; readonly qty: number; readonly apps: readonly string[] } }
) & {
  /** Orders left out by id: numbered and drawn as if present, never placed (what shrinking removes). */
  readonly leaveOut?: readonly string[];
};

export interface FaultsConfig {
  readonly untilMs: number | null;
  readonly randomPauses: { readonly perMille: number; readonly durationMsMin: number; readonly durationMsMax: number; readonly nodes: readonly string[] };
  readonly clockSkew: { readonly offsetMsMax: number; readonly driftPpmMax: number };
  /** Random crashes of the app servers; absent: none (and no question asked). */
  readonly randomCrashes?: { readonly perMille: number; readonly restartMsMin: number; readonly restartMsMax: number };
  readonly steps: readonly FaultStepConfig[];
}
