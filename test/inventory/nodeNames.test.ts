// Node names come from one module (src/inventory/nodeNames.ts): the world builds exactly the
// nodes the scenario loader checks references against, and reports order columns by role.
import { describe, expect, it } from 'vitest';
import { nodeRole, topologyNodeNames } from '../../src/inventory/nodeNames.js';
import { sortNodes } from '../../src/report/traceIndex.js';
import { runOnce, scenario } from '../../src/index.js';

describe('node names', () => {
  it('the world has a node for every name of its topology, and answers from each', () => {
    const sc = scenario('names').items({ vase: 4 }).appServers(3).replicas({ lagMsMin: 0, lagMsMax: 5 }, { lagMsMin: 0, lagMsMax: 5 }).readFrom('replicas')
      .generate({ count: 6, item: 'vase' }).strategy('reservation').build();
    const r = runOnce(sc, { seed: 2, keepTrace: true });
    const names = topologyNodeNames(sc.topology);
    expect(names).toEqual(['app1', 'app2', 'app3', 'db', 'replica1', 'replica2', 'payment', 'lock']);
    for (const n of names) expect(() => r.world.sim.node(n), n).not.toThrow();
    expect(r.world.apps).toEqual(['app1', 'app2', 'app3']);
    expect(r.world.replicas).toEqual(['replica1', 'replica2']);
    // Every node a message went to is one of them.
    const to = new Set(r.trace!.flatMap((e) => (e.type === 'send' ? [e.to] : [])));
    expect([...to].every((n) => names.includes(n))).toBe(true);
  });

  it('roles are read off the names; reports sort columns by them', () => {
    expect(['app12', 'db', 'replica3', 'lock', 'payment', 'application', 'replica'].map(nodeRole))
      .toEqual(['app', 'db', 'replica', 'lock', 'payment', undefined, undefined]);
    expect(sortNodes(['payment', 'replica2', 'zeta', 'app10', 'lock', 'db', 'app2'])).toEqual(['app2', 'app10', 'db', 'replica2', 'lock', 'payment', 'zeta']);
  });
});
