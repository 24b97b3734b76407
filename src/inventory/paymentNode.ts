import type { Sim } from '../sim/world.js';
import type { RequestHandler, SimNode } from '../sim/node.js';
import { HandProc, sleepBetween, type Effect, type Proc } from '../sim/process.js';
import { PaymentLedger } from './payment.js';
import { prefixer, type DomainNotes } from './domainNotes.js';
import type { PaymentConfig } from './worldConfig.js';
import { originOf, type CallAddressConfig, type LegacyHit } from './faultSteps.js';
import { SERVICE_NODES } from './nodeNames.js';
import { MARK_DECLINE, stepMark } from './faultMarks.js';
import type * as T from './dbTypes.js';

/** 'payment:' + an operation, each string made once (domainNotes.ts). */
const paymentOp = prefixer('payment');

/**
 * The payment provider's node: each charge takes the provider's own time, then is declined
 * (by a fault step addressed to it, or by chance while faults are on) or recorded in the
 * ledger. Refunds are immediate.
 */
export class PaymentNode {
  readonly node: SimNode;
  readonly payments = new PaymentLedger();
  private chargesSeen = 0;
  /** payment-fail steps by origin: `${process}|${attempt}|${copy}` of the charge request -> the (first) step's index. Made by the first step. */
  private declineAt: Map<string, number> | null = null;
  /** Old `nth` payment-fail steps (translation only): nth charge handled -> step index. Made by the first. */
  private declineNth: Map<number, number> | null = null;

  constructor(
    private readonly sim: Sim,
    private readonly config: PaymentConfig,
    notes: DomainNotes,
    private readonly onLegacyHit: LegacyHit | undefined,
  ) {
    this.node = sim.addNode(SERVICE_NODES.payment, 'payment');
    // A local first (src/sim/untracked.ts): V8 puts a function literal assigned straight to a property in the old generation.
    const handler: RequestHandler = (call, body) => this.handle(call, body);
    this.node.handler = handler;
    const onEvent: PaymentLedger['onEvent'] = (op, order, detail) => notes.note(SERVICE_NODES.payment, paymentOp(op), order, detail);
    this.payments.onEvent = onEvent;
  }

  /** A world reset: no charges seen, no payment-fail steps (the fault timeline adds them again). */
  reset(): void {
    this.payments.reset();
    this.chargesSeen = 0;
    this.declineAt = null;
    this.declineNth = null;
  }

  /** A payment-fail step: decline the charge request it addresses (by origin, or an old file's nth charge). */
  declineOnStep(index: number, step: CallAddressConfig & { readonly copy?: number }): void {
    if (step.nth !== undefined) (this.declineNth ??= new Map()).set(step.nth, index);
    else {
      const key = `${originOf(step)}|${step.attempt ?? 1}|${step.copy ?? 0}`;
      const at = (this.declineAt ??= new Map());
      if (!at.has(key)) at.set(key, index);
    }
  }

  private handle(call: string, body: unknown): unknown {
    const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    if (call === 'refund') return this.payments.refund(b as unknown as T.RefundReq);
    if (call !== 'charge') return { ok: false, reason: 'bad-request', message: `payment: unknown call ${JSON.stringify(call)}` };
    return this.charge(b as unknown as T.ChargeReq);
  }

  // A method, not a `function*` made per call: every generator function made at run time gets
  // its own hidden class in old space, which points back at the function and, through its
  // closure, kept the whole run alive across scavenges (measured: 13 % of all allocation
  // survived young-generation GC until the next full GC).
  //
  // Not a generator either: a charge is two fixed steps (the provider's time, then the
  // answer), so ChargeSteps below is the body `yield* sleepBetween(...); return this.decide(req)`
  // written out, without a generator's register file per charge (round 4, docs/benchmarks.md).
  private charge(req: T.ChargeReq): Proc<T.ChargeRes> {
    return new ChargeSteps(this, req) as unknown as Proc<T.ChargeRes>;
  }

  /** The provider's own time: a choice (sampled) or a window (windowed), about this request. */
  providerTime(): Proc<void> {
    const p = this.config;
    return sleepBetween(p.delayMsMin, p.delayMsMax, 'payment', 'payment-delay');
  }

  /** After the provider's time: decline or charge. */
  decide(req: T.ChargeReq): T.ChargeRes {
    const p = this.config;
    const nth = ++this.chargesSeen;
    const sim = this.sim;
    const request = sim.current?.serving ?? undefined;
    const step = request !== undefined && this.declineAt !== null ? this.declineAt.get(`${request.proc}|${request.attempt}|${request.copy}`) : undefined;
    let byStep = step !== undefined;
    if (step !== undefined) sim.marks.hit(stepMark(step));
    const legacy = this.declineNth === null ? undefined : this.declineNth.get(nth);
    if (legacy !== undefined && request !== undefined) {
      byStep = true;
      sim.marks.hit(stepMark(legacy));
      this.onLegacyHit?.(legacy, request);
    }
    const declined = byStep || (sim.network.faultsActive && sim.choices.chance('payment', 'decline', p.failPerMille, request));
    // A step's decline is the step's doing (the chance is not asked then).
    if (declined && !byStep) sim.marks.hit(MARK_DECLINE);
    return this.payments.charge(req, declined);
  }
}

/** PaymentNode.charge's two steps: yield* the provider's time, then answer. */
class ChargeSteps extends HandProc<T.ChargeRes> {
  private time: Proc<void> | null = null;

  constructor(
    private readonly node: PaymentNode,
    private readonly req: T.ChargeReq,
  ) {
    super();
  }

  next(input?: unknown): IteratorResult<Effect, T.ChargeRes> {
    if (this.done) {
      this.value = undefined;
      return this as IteratorResult<Effect, T.ChargeRes>;
    }
    if (this.time === null) {
      const time = (this.time = this.node.providerTime());
      const r = time.next();
      if (r.done !== true) {
        this.value = r.value;
        return this as IteratorResult<Effect, T.ChargeRes>;
      }
    } else {
      const r = this.time.next(input);
      if (r.done !== true) {
        this.value = r.value;
        return this as IteratorResult<Effect, T.ChargeRes>;
      }
    }
    this.done = true;
    this.value = this.node.decide(this.req);
    return this as IteratorResult<Effect, T.ChargeRes>;
  }
}
