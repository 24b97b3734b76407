import type * as T from './dbTypes.js';

interface Lease {
  owner: string;
  token: number;
  expiresAtTick: number;
}

/**
 * A lock service with leases (think Chubby or a ZooKeeper recipe). A lease is counted in the
 * service's own ticks, so no clocks are compared across machines; but the *holder* cannot know
 * when its lease ran out if it was paused. Each grant carries a fencing token that increases
 * with every grant: storage that rejects older tokens makes a zombie holder harmless
 * (DDIA Figures 8-4 and 8-5).
 */
export class LockService {
  tick = 0;
  private tokenNext = 1;
  /** Read by the exhaustive explorer's final state (explore/exhaustive/finalState.ts). */
  leases = new Map<string, Lease>();
  onEvent: ((op: string, owner: string, detail: Record<string, unknown>) => void) | null = null;

  /** A world reset: no leases, tick 0, tokens from 1 (the listener stays). */
  reset(): void {
    this.tick = 0;
    this.tokenNext = 1;
    // A new Map, not clear() (idempotency.ts says why).
    this.leases = new Map();
  }

  /** Whether any lease is live (the service ticks only then, so idle runs go quiet). */
  busy(): boolean {
    for (const l of this.leases.values()) if (l.expiresAtTick > this.tick) return true;
    return false;
  }

  advance(): void {
    this.tick++;
    for (const [name, l] of this.leases) {
      if (l.expiresAtTick <= this.tick) {
        this.leases.delete(name);
        this.onEvent?.('lease-expired', l.owner, { name, token: l.token });
      }
    }
  }

  apply(call: string, body: unknown): unknown {
    const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    if (call === 'lock') return this.acquire(b as unknown as T.LockReq);
    if (call === 'unlock') return this.release(b as unknown as T.UnlockReq);
    return { ok: false, reason: 'bad-request', message: `lock service: unknown call ${JSON.stringify(call)}` };
  }

  private acquire(r: T.LockReq): T.LockRes | { ok: false; reason: 'bad-request'; message: string } {
    if (typeof r.name !== 'string' || typeof r.owner !== 'string' || !Number.isInteger(r.leaseTicks) || r.leaseTicks < 1) {
      return { ok: false, reason: 'bad-request', message: 'lock: needs name, owner and leaseTicks >= 1' };
    }
    const held = this.leases.get(r.name);
    if (held && held.expiresAtTick > this.tick) {
      // A retry by the holder (its reply was lost) gets its own lease back, not a second one.
      if (held.owner === r.owner) return { ok: true, token: held.token, expiresAtTick: held.expiresAtTick };
      return { ok: false, reason: 'held', holder: held.owner };
    }
    const lease = { owner: r.owner, token: this.tokenNext++, expiresAtTick: this.tick + r.leaseTicks };
    this.leases.set(r.name, lease);
    this.onEvent?.('lock', r.owner, { name: r.name, token: lease.token, expiresAtTick: lease.expiresAtTick });
    return { ok: true, token: lease.token, expiresAtTick: lease.expiresAtTick };
  }

  private release(r: T.UnlockReq): T.UnlockRes {
    const held = this.leases.get(r.name);
    if (!held || held.owner !== r.owner || held.token !== r.token) return { ok: false, reason: 'not-holder' };
    this.leases.delete(r.name);
    this.onEvent?.('unlock', r.owner, { name: r.name, token: r.token });
    return { ok: true };
  }
}
