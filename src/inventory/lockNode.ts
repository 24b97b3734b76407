import type { Sim } from '../sim/world.js';
import { Hooks, type RequestHandler, type SimNode } from '../sim/node.js';
import { LockService } from './lockService.js';
import { Ticker } from './ticker.js';
import { prefixer, type DomainNotes } from './domainNotes.js';
import { SERVICE_NODES } from './nodeNames.js';

/** 'lock:' + an operation, each string made once (domainNotes.ts). */
const lockOp = prefixer('lock');

/** The lock service's node: leases counted in its own ticks, which run only while a lease is live. */
export class LockNode {
  readonly node: SimNode;
  readonly locks = new LockService();
  readonly ticker: Ticker;

  constructor(sim: Sim, tickMs: number, notes: DomainNotes) {
    const locks = this.locks;
    this.node = sim.addNode(SERVICE_NODES.lock, 'lock');
    const ticker = (this.ticker = new Ticker(this.node, tickMs, () => locks.busy(), () => locks.advance()));
    // A local first (src/sim/untracked.ts): V8 puts a function literal assigned straight to a property in the old generation.
    const handler: RequestHandler = (call, body) => {
      const out = locks.apply(call, body);
      ticker.arm();
      return out;
    };
    this.node.handler = handler;
    // Same as the primary: a restarted lock service keeps its leases and resumes ticking.
    this.node.hooks = new Hooks(undefined, () => ticker.rearm());
    const onEvent: LockService['onEvent'] = (op, owner, detail) => notes.note(SERVICE_NODES.lock, lockOp(op), owner, detail);
    locks.onEvent = onEvent;
  }

  /** A world reset: no leases, no tick armed. */
  reset(): void {
    this.locks.reset();
    this.ticker.reset();
  }
}
