// Node names are derived from the topology, never declared: app1..appN, db, replica1..replicaK,
// payment, lock. The kernel and the loader both use these helpers so the names cannot drift.

export const SERVICE_NODE_NAMES = ['db', 'payment', 'lock'] as const;

export function appServerNames(appServers: number): string[] {
  return Array.from({ length: appServers }, (_, i) => `app${i + 1}`);
}

export function replicaNames(replicas: number): string[] {
  return Array.from({ length: replicas }, (_, i) => `replica${i + 1}`);
}

/** Every node of a topology, in a fixed order: app servers, db, replicas, payment, lock. */
export function topologyNodeNames(topology: { appServers: number; replicas: readonly unknown[] }): string[] {
  return [
    ...appServerNames(topology.appServers),
    'db',
    ...replicaNames(topology.replicas.length),
    'payment',
    'lock',
  ];
}
