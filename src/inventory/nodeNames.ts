// Node names, in one place. They are derived from the topology, never declared: app1..appN,
// db, replica1..replicaK, payment, lock. The world names its nodes with these, the scenario
// loader checks references against them, and reports order and group columns by them, so a
// name cannot mean one thing to the simulation and another to a scenario or a report.

/** The single service nodes: the primary, the payment provider, the lock service; and the SQL server (only in scenarios with SQL). */
export const SERVICE_NODES = { db: 'db', payment: 'payment', lock: 'lock', sql: 'sql' } as const;

export const SERVICE_NODE_NAMES: readonly string[] = [SERVICE_NODES.db, SERVICE_NODES.payment, SERVICE_NODES.lock];

/** App server `i`, 1-based: "app1". */
export function appName(i: number): string {
  return `app${i}`;
}

/** Replica `i`, 1-based: "replica1". */
export function replicaName(i: number): string {
  return `replica${i}`;
}

export function appServerNames(appServers: number): string[] {
  return Array.from({ length: appServers }, (_, i) => appName(i + 1));
}

export function replicaNames(replicas: number): string[] {
  return Array.from({ length: replicas }, (_, i) => replicaName(i + 1));
}

/** Every node of a topology, in a fixed order: app servers, db, (sql, when the scenario has SQL), replicas, payment, lock. */
export function topologyNodeNames(topology: { appServers: number; replicas: readonly unknown[] }, sql = false): string[] {
  return [
    ...appServerNames(topology.appServers),
    SERVICE_NODES.db,
    ...(sql ? [SERVICE_NODES.sql] : []),
    ...replicaNames(topology.replicas.length),
    SERVICE_NODES.payment,
    SERVICE_NODES.lock,
  ];
}

export type NodeRole = 'app' | 'db' | 'sql' | 'replica' | 'lock' | 'payment';

/** What a node is, read off its name: "app3" is an app server (whatever the topology); undefined for a name of no role. */
export function nodeRole(name: string): NodeRole | undefined {
  if (/^app[0-9]+$/.test(name)) return 'app';
  if (/^replica[0-9]+$/.test(name)) return 'replica';
  if (name === SERVICE_NODES.db || name === SERVICE_NODES.lock || name === SERVICE_NODES.payment || name === SERVICE_NODES.sql) return name;
  return undefined;
}
