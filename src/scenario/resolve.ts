// Defaults that depend on other fields (they cannot be plain zod defaults). Runs only after
// every check passed, so references are known to exist.
import { LIMITS } from './limits.js';
import { appServerNames } from '../inventory/nodeNames.js';
import { resolveSqlConfig } from '../inventory/sqlTables.js';
import type { ParsedScenario } from './scenarioObject.js';
import type { OrderSpec, generateSchema } from './workloadSchema.js';
import type { z } from 'zod';

/** A generator with its computed defaults filled in. */
export type GenerateSpec = Required<z.output<typeof generateSchema>>;
/** `leaveOut`: orders left out by id (shrinking writes it); absent when none. */
export type Workload = ({ orders: OrderSpec[] } | { generate: GenerateSpec }) & { leaveOut?: string[] };

/** Used only when parsing without a file name (the loader passes the file's base name). */
export const FALLBACK_SCENARIO_NAME = 'scenario';

/** Default generated order count: 1.5 x stock rounded up, so the sale is oversubscribed. */
export function defaultOrderCount(stock: number): number {
  return Math.min(LIMITS.ordersMax, Math.floor((stock * 3 + 1) / 2));
}

function resolveWorkload(parsed: ParsedScenario): Workload {
  const workload = parsed.workload;
  const leave = workload.leaveOut !== undefined ? { leaveOut: workload.leaveOut } : {};
  if ('orders' in workload) return { orders: workload.orders, ...leave };
  const generate = workload.generate;
  const item = generate.item ?? parsed.items[0].id;
  const stock = parsed.items.find((it) => it.id === item)?.stock ?? 0;
  return {
    generate: {
      count: generate.count ?? defaultOrderCount(stock),
      windowMs: generate.windowMs,
      item,
      qty: generate.qty,
      apps: generate.apps ?? appServerNames(parsed.topology.appServers),
    },
    ...leave,
  };
}

/** The resolved scenario: every default filled, `$schema` dropped, keys in documented order. */
export function resolveScenario(parsed: ParsedScenario) {
  const topology = parsed.topology;
  return {
    name: parsed.name ?? FALLBACK_SCENARIO_NAME,
    description: parsed.description,
    seed: parsed.seed,
    items: parsed.items,
    topology: {
      appServers: topology.appServers,
      replicas: topology.replicas,
      readFrom: topology.readFrom ?? (topology.replicas.length > 0 ? 'replicas' : 'primary'),
      dbTickMs: topology.dbTickMs,
    },
    network: parsed.network,
    payment: parsed.payment,
    workload: resolveWorkload(parsed),
    faults: parsed.faults,
    // The SQL server's tables with the stock table's rows made from `items` (no key without a `sql` section).
    ...(parsed.sql === undefined ? {} : { sql: resolveSqlConfig(parsed.items, parsed.sql) }),
    strategy: parsed.strategy,
    limits: parsed.limits,
    timing: parsed.timing,
    // Only when given: every scenario without it resolves exactly as before (hashes, replay files).
    ...(parsed.explore === undefined ? {} : { explore: parsed.explore }),
    expect: parsed.expect,
  };
}
