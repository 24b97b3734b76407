/**
 * One execution of the exhaustive search: the scheduler and the choice source of a run under
 * readyRule 'any' (sim/kernel.ts), following the search path and extending it, and the
 * bookkeeping DPOR needs (Flanagan-Godefroid with sleep sets, as loom does it, over events
 * rather than threads): who created each event, a vector clock per fired event over nodes,
 * and the races found, each adding a backtrack point to the path.
 *
 * The semantics (docs/exploration.md, "explore: the semantics and why they are sound"): any
 * pending event whose predecessor (FIFO link, log order) has fired may fire next, whatever
 * the windows say, except that an event whose earliest possible time is past the scenario's
 * time limit never fires. Windows give only that lower bound: an event's earliest time is its
 * creator's plus its minimum delay, and no earlier than the last event at its node.
 */
import type { Scheduler } from '../../sim/scheduler.js';
import { HORIZON, type PushObserver } from '../../sim/kernel.js';
import type { QueuedEvent } from '../../sim/queue.js';
import type { Choices, ChoiceSource, Question } from '../../sim/choice.js';
import type { HasSubject } from '../../sim/subjects.js';
import type { Message } from '../../sim/network.js';
import type { RpcTable } from '../../sim/rpcTable.js';
import { eventSubjectOf } from '../../sim/eventSubject.js';
import { subjectKey, subjectOf } from '../../sim/subjects.js';
import { BOUND_KINDS, type FaultBounds } from './bounds.js';
import { dependent, type Decision, type EventRef, type ScheduleDecision } from './path.js';
import { LocalTime } from './localTime.js';
import type { Semantics } from './semantics.js';

/** How long a random pause may last: its end's window relative to the delivery it struck at. */
export interface PauseWindow {
  readonly durationMsMin: number;
  readonly durationMsMax: number;
}

/**
 * Thrown by the scheduler under the timed semantics when a pending event can never fire (it
 * must come before the last event at its node): no extension of this prefix happens in real
 * time, so the execution is abandoned (counted as unrealizable, never judged).
 */
export class Doomed extends Error {
  constructor() {
    super('a pending event can no longer fire in time');
  }
}
import type { AccessLog, EventAccess } from '../../sim/access.js';
import { HappensBefore } from './happensBefore.js';

/** Thrown by the scheduler when every enabled event is asleep: the execution is redundant. */
export class SleepBlocked extends Error {
  constructor() {
    super('every enabled event is asleep');
  }
}

interface Meta {
  readonly key: string;
  readonly owner: string;
  /** What it touches (path.ts EventRef.res). */
  readonly res: readonly string[];
  /** Index in `fired` of the event that created it; -1: the world's setup. */
  readonly creator: number;
  /** Earliest real time it can fire, given its creator's (windows only bound from below here). */
  readonly lbMs: number;
  /** Latest real time its own window allows, given its creator's latest (a clock read's late class). */
  readonly ubMs: number;
  /** Its window relative to its creator's firing: [minOffsetMs, maxOffsetMs]. */
  readonly minOffsetMs: number;
  readonly maxOffsetMs: number;
  /** It had a pending predecessor when pushed (a FIFO link): it may arrive after its own window. */
  readonly queued: boolean;
}

interface Fired {
  readonly meta: Meta;
  readonly key: string;
  /** What it touched as it fired (independence.ts): set once it has fired (settle). */
  res: readonly string[];
  /** Index in the path of the schedule decision that fired it. */
  readonly decision: number;
  /** Earliest real time given its causal past; raised to the reading when a clock read it late (clockMs). */
  lbMs: number;
  /** Latest real time given its causal past (its window along its creators', its FIFO predecessor's). */
  readonly ubMs: number;
  /** What a clock read while it fired (clockMs), before skew; null: none read. */
  readMs: number | null;
  /** That reading was the late class (its time is fixed at readMs: confirmTiming pins it). */
  readLate: boolean;
  /** Timed semantics: keys of the events pending when it fired that had to come after it in time (LocalTime.forcedAfter). */
  readonly forcedAfter: ReadonlySet<string> | null;
  /** The event it had to wait for on its FIFO link or log (-1 none): happens before it. */
  readonly after: number;
}

const FAULT_OF_KIND = new Map<string, keyof FaultBounds>(Object.entries(BOUND_KINDS).map(([b, k]) => [k, b as keyof FaultBounds]));

export class Execution implements Scheduler, ChoiceSource {
  readonly name = 'exhaustive';
  readonly description = 'exhaustive search';
  /** Position in the path. */
  private depth = 0;
  private readonly meta = new Map<QueuedEvent, Meta>();
  private readonly occurrences = new Map<string, number>();
  readonly fired: Fired[] = [];
  private readonly nodes = new Map<string, number>();
  /** Per node index: the last fired event there (-1 none): its lower bound chains time (rule 2). */
  private readonly lastAt: number[] = [];
  private current = -1;
  /** The fired event whose footprint is not read yet (it fires between two picks). */
  private unsettled = -1;
  private readonly hbs = new HappensBefore();
  /** Index in `fired` of each fired queued event (a successor on its link names it). */
  private readonly firedIndex = new Map<QueuedEvent, number>();
  private nextSleep: Map<string, readonly string[]> = new Map();
  /** Per replica, the index in `fired` of the last log entry it applied. */
  private readonly lastApplied = new Map<string, number>();
  private readonly used: Record<keyof FaultBounds, number> = { drops: 0, lostReplies: 0, duplicates: 0, pauses: 0, declines: 0, crashes: 0 };
  /** Faults and data choices that were not the calm answer: `kind|subject` -> answers in order. */
  readonly struck = new Map<string, number[]>();
  blocked = false;
  /** The path index of the last schedule decision (-1 none yet). */
  private lastDecision = -1;
  /**
   * The events this execution prefers at its new decisions, in order (path.ts `guide`): the
   * rest of the sequence that reverses the race its last replayed decision was added for.
   */
  private guide: string[] = [];

  /** The timed semantics' zone and node orders; null under untimed-causal. */
  private readonly time: LocalTime | null;
  /** A random pause struck during the event firing now: its end is pushed next (world.ts maybePause). */
  private pauseStruck = false;
  /** An event was created certain never to fire (its race was reversed already). */
  private bornDoomed = false;
  /** The race (last event at its node, creator) of an event created doomed, reversed in checkDoom. */
  private bornRace: [number, number] | null = null;

  constructor(
    readonly path: Decision[],
    private readonly bounds: FaultBounds,
    private readonly reduction: boolean,
    private readonly horizonMs: number,
    /** What the primary and the SQL server say each event touched (null: every event takes its whole node). */
    private readonly access: AccessLog | null = null,
    readonly semantics: Semantics = 'timed',
    private readonly pauses: PauseWindow = { durationMsMin: 1, durationMsMax: 1 },
    lookahead = true,
  ) {
    this.time = semantics === 'timed' ? new LocalTime(horizonMs, lookahead) : null;
    const last = path[path.length - 1];
    if (reduction && last !== undefined && last.type === 'schedule') this.guide = [...(last.guide?.get(last.chosen) ?? [])];
  }

  /** Timed semantics: whether a real-time run ends like this one (untimed: always). */
  realizable(): boolean {
    return this.time === null || this.time.realizable();
  }

  /** The kernel's push observer: names each new event and bounds its time from below. */
  readonly onPush: PushObserver = (e, firing, nowMs) => {
    const creator = firing === null ? -1 : this.current;
    const minOffsetMs = creator < 0 ? e.timeMs : e.timeMs - nowMs;
    const lbMs = creator < 0 ? e.timeMs : this.fired[creator].lbMs + minOffsetMs;
    const base = `${e.kind}|${e.owner}|${subjectKey(eventSubjectOf(e).subject)}`;
    const n = this.occurrences.get(base) ?? 0;
    this.occurrences.set(base, n + 1);
    const msg = e.kind === 'deliver' || e.kind === 'timeout' ? (e.arg as Message) : null;
    // An rpc's timeout touches the node that answers it too: its reply's sending disables it.
    // Unless no copy of its request is on its way (lost as it was sent: the request is sent, and
    // its loss decided, before the timer is set, world.ts startRpc): then nothing the server does
    // can answer it, and it touches its caller only (docs/exploration.md, "Independence").
    const res = e.kind === 'timeout' && msg !== null && this.replies.has(msg.rpc) ? [e.owner, msg.to] : [e.owner];
    const maxOffsetMs = creator < 0 ? e.latestMs : e.latestMs - nowMs;
    // A random pause's end may come as late as the scenario's longest pause (the kernel pushes it at the shortest).
    const longestMs = e.kind === 'pause-end' && this.pauseStruck && firing !== null ? Math.max(maxOffsetMs, this.pauses.durationMsMax) : maxOffsetMs;
    if (this.time === null && e.kind === 'pause-end') this.pauseStruck = false;
    const ubMs = creator < 0 ? e.latestMs : this.fired[creator].ubMs + longestMs;
    const m: Meta = { key: n === 0 ? base : `${base}#${n}`, owner: e.owner, res, creator, lbMs, ubMs, minOffsetMs, maxOffsetMs, queued: e.after !== null && e.after.pending };
    this.meta.set(e, m);
    if (this.time !== null) this.timed(e, m, firing);
    if (e.kind === 'deliver' && msg !== null) {
      const list = this.replies.get(msg.rpc);
      if (list === undefined) this.replies.set(msg.rpc, [e]);
      else list.push(e);
    }
  };

  /**
   * Timed semantics: the new event's variable in the zone. A random pause's end may fall
   * anywhere in the scenario's pause lengths (the kernel pushes it at the shortest: the length
   * is not a value the explorer enumerates). An event certain never to fire (its window ends
   * before the last event at its node) means the explored order put that event before this
   * one's creator where real time cannot: a race between them, reversed like any other.
   */
  private timed(e: QueuedEvent, m: Meta, firing: QueuedEvent | null): void {
    let lo = m.minOffsetMs;
    let hi = m.maxOffsetMs;
    if (e.kind === 'pause-end' && this.pauseStruck && firing !== null) {
      lo = this.pauses.durationMsMin;
      hi = this.pauses.durationMsMax;
      this.pauseStruck = false;
    }
    const sender = firing === null ? '' : firing.owner;
    // Every event takes its place in local time at its own node only: a timeout too, though its
    // DPOR footprint names the answering node (docs/exploration.md, timed rule 3). Were it placed
    // there, the reply's delivery at the caller, which makes it a no-op, would release events at
    // the answering node: a firing at one node enabling an event at another, unrecorded.
    const dead = this.time!.created(e, [m.owner], firing === null, lo, hi, sender);
    if (dead) this.bornDoomed = true;
    if (dead && this.reduction && m.creator >= 0 && this.bornRace === null) {
      const n = this.nodes.get(e.owner);
      const i = n === undefined ? -1 : this.lastAt[n];
      // Reversed once the creator has settled (its happens-before set exists then: checkDoom).
      if (i >= 0 && i < m.creator) this.bornRace = [i, m.creator];
    }
  }

  /**
   * Timed semantics: abandons the execution if a pending event can never fire. When the last
   * event fired doomed it through the zone (not at its birth: that race is reversed where it
   * is created), it disabled it: the doomed event is explored first there, or, if it was not
   * enabled there, every event that was (the classic conservative choice).
   */
  private checkDoom(): void {
    const y = this.time!.anyDoomed();
    if (y === null) return;
    if (this.bornRace !== null && !this.hb(this.bornRace[0], this.bornRace[1])) this.reverse(this.bornRace[0], this.bornRace[1]);
    if (this.reduction && !this.bornDoomed && this.lastDecision >= 0) {
      const dec = this.path[this.lastDecision] as ScheduleDecision;
      const key = this.meta.get(y)!.key;
      if (dec.enabled.some((r) => r.key === key)) dec.backtrack.add(key);
      else for (const r of dec.enabled) dec.backtrack.add(r.key);
    }
    throw new Doomed();
  }

  /** Timed semantics: events seen held by the lookahead rule and not enabled since. */
  private readonly held = new Set<QueuedEvent>();

  /** The world's rpc table: which timeouts are still live. Set once the world is built. */
  rpcs: RpcTable | null = null;
  /** Deliveries of each rpc's request and reply: what a timeout must wait for when one must arrive first. */
  private readonly replies = new Map<number, QueuedEvent[]>();

  pick(ready: readonly QueuedEvent[], _choices: Choices): number {
    this.settle();
    if (this.time !== null) this.checkDoom();
    const cands: number[] = [];
    const refs: EventRef[] = [];
    for (let i = 0; i < ready.length; i++) {
      const e = ready[i];
      // The timer of an rpc already answered: a no-op wherever it fires, so no choice.
      if (e.kind === 'timeout' && this.rpcs !== null && !this.rpcs.isWaiting((e.arg as Message).rpc)) {
        this.time?.dropNoop(e);
        if (this.checkReleases) this.firedSince.push(e);
        return i;
      }
    }
    const status = this.checkReleases && this.time !== null ? new Map<QueuedEvent, 'enabled' | 'held' | 'disabled'>() : null;
    const heldNow: QueuedEvent[] = [];
    for (let i = 0; i < ready.length; i++) {
      const e = ready[i];
      const m = this.meta.get(e)!;
      if (this.time !== null) {
        const check = this.time.fireCheck(e);
        if (status !== null) {
          status.set(e, check);
          if (check === 'enabled') this.checkRelease(e);
        }
        if (check === 'held') {
          this.held.add(e);
          heldNow.push(e);
        }
        if (check !== 'enabled') continue;
        // Released by the lookahead: an event at another node enabled it (by leaving the
        // pending set), which independence does not foresee, so it leaves the sleep set
        // (conservative: docs/exploration.md, "Partial-order reduction", the lookahead).
        if (this.held.delete(e)) this.nextSleep.delete(m.key);
      } else {
        if (this.fireLb(m) > this.horizonMs) continue;
        if (e.kind === 'timeout' && this.replyMustComeFirst(e, m)) continue;
      }
      cands.push(i);
      refs.push({ key: m.key, res: m.res });
    }
    if (this.reduction && this.lastDecision >= 0) this.disabledBy(this.lastDecision, refs, heldNow);
    this.disabledChecked = true;
    if (cands.length === 0) return HORIZON;
    const d = this.depth++;
    this.lastDecision = d;
    this.disabledChecked = false;
    let dec: ScheduleDecision;
    let at: number;
    if (d < this.path.length) {
      const p = this.path[d];
      at = p.type === 'schedule' ? refs.findIndex((r) => r.key === p.chosen) : -1;
      if (p.type !== 'schedule' || at < 0) throw new Error(`explore: the run did not repeat itself at decision ${d} (${p.type === 'schedule' ? p.chosen : p.about}): a strategy that is not deterministic?`);
      dec = p;
    } else {
      const sleep = this.nextSleep;
      at = this.guided(refs, sleep);
      if (at < 0) at = refs.findIndex((r) => !sleep.has(r.key));
      if (at < 0) {
        this.blocked = true;
        throw new SleepBlocked();
      }
      const chosen = refs[at].key;
      dec = { type: 'schedule', chosen, enabled: refs, sleep, done: new Map(), backtrack: new Set(this.reduction ? [chosen] : refs.map((r) => r.key)) };
      this.path.push(dec);
    }
    const e = ready[cands[at]];
    if (status !== null) {
      this.lastStatus = status;
      this.firedSince = [e];
    }
    this.heldAtLast = [];
    // Held events the chosen one holds back need nothing: they come after it in every order.
    if (this.reduction) for (const h of heldNow) {
      const blockers = this.time!.blockers(h);
      if (!blockers.includes(e)) this.heldAtLast.push({ key: this.meta.get(h)!.key, releasers: this.releasers(blockers, refs) });
    }
    let forcedAfter: Set<string> | null = null;
    if (this.time !== null) {
      if (this.reduction) forcedAfter = new Set(this.time.forcedAfter(e).map((y) => this.meta.get(y)!.key));
      this.time.fire(e);
    }
    this.begin(e, this.meta.get(e)!, d, forcedAfter);
    return cands[at];
  }

  /**
   * The first event of the guide that is enabled and awake here (-1 none), taken off the guide.
   * Any enabled awake event may be taken first at a new decision (source-set DPOR leaves the
   * choice free), so following the guide changes which executions end blocked, never coverage.
   */
  private guided(refs: readonly EventRef[], sleep: ReadonlyMap<string, readonly string[]>): number {
    for (let g = 0; g < this.guide.length; g++) {
      const k = this.guide[g];
      if (sleep.has(k)) continue;
      const at = refs.findIndex((r) => r.key === k);
      if (at >= 0) {
        this.guide.splice(g, 1);
        return at;
      }
    }
    return -1;
  }

  /**
   * What a clock reads while the current event fires (Scheduler.clockMs): a `clock-read` choice
   * between the earliest time its causal past allows (0; fireLb: its creator's plus its minimum
   * delay, no earlier than its node's and the world's last event) and the latest (1; its
   * creator's latest plus its maximum delay, the longest pause, no later than the time limit),
   * asked only where the two differ. Both are functions of the event's happens-before
   * predecessors (and their readings) alone, so two orders DPOR treats as equivalent read the
   * same values, and the search explores both classes. A late reading fixes the event's time:
   * its lower bound is raised to it, so what it creates afterwards and its node's later events
   * (their earliest) come after it, and a node's readings never go back. One event reads one
   * time, however often it reads. The kernel's label would depend on the interleaving
   * (docs/exploration.md, "Clock readings").
   */
  clockMs(node: HasSubject, choices: Choices): number {
    if (this.current < 0) return 0;
    const f = this.fired[this.current];
    if (f.readMs !== null) return f.readMs;
    const earliestMs = f.lbMs;
    const latestMs = Math.min(this.horizonMs, f.ubMs);
    let v = earliestMs;
    if (latestMs > earliestMs && choices.ask({ stream: 'schedule', kind: 'clock-read', max: 1, about: node }) === 1) {
      v = latestMs;
      f.lbMs = latestMs;
      f.readLate = true;
    }
    f.readMs = v;
    return v;
  }

  /**
   * Whether the events the last decision disabled have been looked for (disabledBy) since it
   * fired: a pick after it does that, but the run may end first, with only the no-op timers of
   * the rpcs that decision answered left to fire (they fire without a pick of their own).
   */
  private disabledChecked = true;

  /**
   * After the run: the last event's footprint and races, and what the last decision disabled
   * if no pick came after it. Nothing is enabled at the end, so every event enabled at that
   * decision and not chosen there was disabled since (a timeout whose reply came): each is an
   * alternative there. Without this, a timeout that could have beaten the run's last reply was
   * never tried (test/explore/exhaustiveSoundness.slow.test.ts found it).
   */
  finish(): void {
    this.settle();
    if (this.reduction && this.lastDecision >= 0 && !this.disabledChecked) this.disabledBy(this.lastDecision, [], []);
    this.disabledChecked = true;
  }

  answer(q: Question): number {
    const bound = FAULT_OF_KIND.get(q.kind);
    if (bound !== undefined) {
      if (this.used[bound] >= this.bounds[bound]) return 0;
      const v = this.decide(q, 1);
      if (v > 0) this.used[bound]++;
      if (v > 0 && q.kind === 'pause') this.pauseStruck = true;
      // A pause: 1 is its shortest length; which events it outlasts is the schedule's business.
      // A crash: 1 is yes; its restart is an event whose place is the schedule's business too.
      return v;
    }
    // Any message may overtake on a link the scenario lets reorder: a superset of FIFO orders.
    if (q.kind === 'reorder') return 1;
    if (q.kind === 'replica' || q.kind === 'clock-read') return this.decide(q, q.max);
    return 0;
  }

  /** Faults used by this execution, per bound. */
  faultsUsed(): Readonly<Record<keyof FaultBounds, number>> {
    return this.used;
  }

  private decide(q: Question, max: number): number {
    const about = `${q.kind}|${subjectKey(subjectOf(q.about))}`;
    const d = this.depth++;
    let v: number;
    if (d < this.path.length) {
      const p = this.path[d];
      if (p.type !== 'fault' || p.about !== about) throw new Error(`explore: the run did not repeat itself at decision ${d} (${about}): a strategy that is not deterministic?`);
      v = p.value;
    } else {
      this.path.push({ type: 'fault', about, value: 0, max });
      v = 0;
    }
    if (v > 0) this.struck.set(about, [...(this.struck.get(about) ?? []), v]);
    return v;
  }

  private nodeOf(owner: string): number {
    let n = this.nodes.get(owner);
    if (n === undefined) {
      n = this.nodes.size;
      this.nodes.set(owner, n);
      this.lastAt.push(-1);
    }
    return n;
  }

  /** The earliest time an event can fire: its own bound, and after what its node (and the world) did last. */
  private fireLb(m: Meta): number {
    let lb = m.lbMs;
    const consider = (i: number): void => {
      if (i >= 0 && this.fired[i].lbMs > lb) lb = this.fired[i].lbMs;
    };
    if (m.owner === '') for (const i of this.lastAt) consider(i);
    else {
      // A node that describes its events (the primary, the SQL server) does not chain its
      // events' times: two of them may commute, and a chained bound would depend on their order.
      const n = this.access?.isRefined(m.owner) ? undefined : this.nodes.get(m.owner);
      if (n !== undefined) consider(this.lastAt[n]);
      const g = this.nodes.get('');
      if (g !== undefined) consider(this.lastAt[g]);
    }
    return lb;
  }

  /**
   * A timeout cannot fire while its request, or a reply to it, is on its way and must arrive
   * first in real time: its latest arrival, summed along the windows of the events that led
   * from the call to it, is before the timer (Concuerror's rule, with the windows). Once the
   * request has arrived and the server has not answered in that same step, the timer may fire
   * (the server's own waiting is not bounded). A message queued behind another on its link may
   * be later than its own window: no claim then.
   */
  private replyMustComeFirst(t: QueuedEvent, tm: Meta): boolean {
    const list = this.replies.get((t.arg as Message).rpc);
    if (list === undefined) return false;
    for (const r of list) {
      if (!r.pending) continue;
      let x = this.meta.get(r)!;
      let ubMs = 0;
      for (;;) {
        if (x.queued) break;
        ubMs += x.maxOffsetMs;
        if (x.creator === tm.creator) {
          if (ubMs < tm.minOffsetMs) return true;
          break;
        }
        if (x.creator < 0) break;
        x = this.fired[x.creator].meta;
      }
    }
    return false;
  }

  /** Appends the event about to fire (its creations name it as creator) and chains its node's time. */
  private begin(e: QueuedEvent, m: Meta, decision: number, forcedAfter: ReadonlySet<string> | null = null): void {
    const lbMs = this.fireLb(m);
    const j = this.fired.length;
    let after = e.after === null ? -1 : (this.firedIndex.get(e.after) ?? -1);
    // A replica applies its log in order whatever the timing (replica.ts): the previous entry
    // applied there happens before this one even when it had already been applied when this one
    // was created (no pending predecessor then). Without it, DPOR would try to reverse two log
    // entries, which no schedule can do, and every such try ends blocked by sleep sets.
    if (e.kind === 'replica-apply') {
      if (after < 0) after = this.lastApplied.get(e.owner) ?? -1;
      this.lastApplied.set(e.owner, this.fired.length);
    }
    // Its latest: its own window's, or, queued behind a message on its link, that message's if later.
    let ubMs = Math.max(m.ubMs, lbMs);
    if (m.queued && after >= 0) ubMs = Math.max(ubMs, this.fired[after].ubMs);
    this.fired.push({ meta: m, key: m.key, res: m.res, decision, lbMs, ubMs, readMs: null, readLate: false, after, forcedAfter });
    this.firedIndex.set(e, j);
    if (m.owner === '') for (let n = 0; n < this.lastAt.length; n++) this.lastAt[n] = j;
    // Timed: the last event placed at each node in local time (a timeout at its caller only).
    else for (const r of this.time === null ? m.res : [m.owner]) this.lastAt[this.nodeOf(r)] = j;
    this.current = j;
    this.unsettled = j;
  }

  /**
   * The event fired last has fired: its footprint (what its node said it touched, else its
   * whole node), its happens-before set, the races it completes (each a backtrack point) and
   * the sleep set of the next decision.
   */
  private settle(): void {
    const told = this.access?.take();
    const j = this.unsettled;
    if (j < 0) return;
    this.unsettled = -1;
    const f = this.fired[j];
    const res = told === undefined ? f.meta.res : footprint(f.meta.res, told);
    f.res = res;
    const dec = this.path[f.decision] as ScheduleDecision;
    dec.firedRes = res;
    const prevs = this.hbs.lastDependent(j, res);
    const races = this.hbs.record(j, [f.meta.creator, f.after], prevs);
    if (!this.reduction) return;
    for (const p of races) this.reverse(p, j);
    const next = new Map<string, readonly string[]>();
    for (const [k, r] of dec.sleep) if (!dependent(r, res)) next.set(k, r);
    for (const [k, r] of dec.done) if (!dependent(r, res)) next.set(k, r);
    this.nextSleep = next;
  }

  /**
   * An event enabled at decision `d` that is no longer enabled now (a timeout whose reply was
   * sent, or answered; an event pushed past the time limit by its node's last event) was
   * disabled by the event fired at `d`, which touches what it touches: that is a race too,
   * so it is explored first from `d`.
   */
  private disabledBy(d: number, now: readonly EventRef[], heldNow: readonly QueuedEvent[]): void {
    const dec = this.path[d] as ScheduleDecision;
    for (const e of dec.enabled) {
      if (e.key === dec.chosen || dec.backtrack.has(e.key) || dec.done.has(e.key)) continue;
      if (!now.some((r) => r.key === e.key)) dec.backtrack.add(e.key);
    }
    // An event held at d (rule 7) that the event fired at d disabled: it could have fired first
    // had what held it gone first. Those are events at other nodes, so no race names them:
    // explore from d each enabled event that releases it (docs/exploration.md, "held events").
    for (const h of this.heldAtLast) {
      if (now.some((r) => r.key === h.key) || heldNow.some((e) => this.meta.get(e)!.key === h.key)) continue;
      for (const k of h.releasers ?? dec.enabled.map((r) => r.key)) dec.backtrack.add(k);
    }
  }

  /**
   * Test mode (ExploreOptions.checkReleases): the invariant that keeps sleep sets and races
   * sound under the timed semantics. An event that was pending and neither enabled nor held at
   * the previous pick becomes enabled only through a firing at one of its own nodes (or of the
   * whole world, or of its link predecessor): those are dependent on it or happen before it, so
   * DPOR sees them. An event's place in local time is its owner only (a timeout too), so rule 3
   * never lets a firing elsewhere enable it; the lookahead's releases (from 'held') are the one
   * cross-node enabling, and they are recorded (woken from sleep sets; `heldAtLast`).
   */
  checkReleases = false;
  private lastStatus = new Map<QueuedEvent, 'enabled' | 'held' | 'disabled'>();
  /** Test mode: the events fired since the last pick (the chosen one, then no-op timers). */
  private firedSince: QueuedEvent[] = [];

  private checkRelease(e: QueuedEvent): void {
    if (this.lastStatus.get(e) !== 'disabled') return;
    for (const f of this.firedSince) if (f.owner === e.owner || f.owner === '' || e.owner === '' || f === e.after) return;
    const by = this.firedSince.map((f) => this.meta.get(f)!.key).join(', ');
    throw new Error(`explore: ${this.meta.get(e)!.key} was enabled by a firing at another node (${by}), which DPOR does not record`);
  }

  /** Timed semantics: the events held at the last decision, each with the enabled events there that release it (null: every one). */
  private heldAtLast: Array<{ readonly key: string; readonly releasers: readonly string[] | null }> = [];

  /**
   * The events enabled now (refs) whose firing takes away one of the pending events that hold
   * e back: the blocker itself, or, for an rpc's timer, a delivery of its reply (which makes it
   * a no-op). Null when some blocker has neither enabled now: then every enabled event is an
   * alternative (the classic conservative choice).
   */
  private releasers(blockers: readonly QueuedEvent[], refs: readonly EventRef[]): string[] | null {
    const out = new Set<string>();
    const seen = new Set<QueuedEvent>();
    const enabled = (k: string): boolean => refs.some((r) => r.key === k);
    // A blocker that is not enabled now waits itself, for the events that must come before it
    // (and its FIFO predecessor): what releases those releases it, so follow them.
    const free = (y: QueuedEvent): boolean => {
      if (seen.has(y)) return true;
      seen.add(y);
      let any = false;
      const yk = this.meta.get(y)!.key;
      if (enabled(yk)) {
        out.add(yk);
        any = true;
      }
      if (y.kind === 'timeout') {
        for (const r of this.replies.get((y.arg as Message).rpc) ?? []) {
          const rk = this.meta.get(r)!.key;
          if (r.pending && r.owner === y.owner && enabled(rk)) {
            out.add(rk);
            any = true;
          }
        }
      }
      if (any) return true;
      const waits = this.time!.before(y);
      if (y.after !== null && y.after.pending) waits.push(y.after);
      if (waits.length === 0) return false;
      for (const z of waits) if (!free(z)) return false;
      return true;
    };
    for (const y of blockers) if (!free(y)) return null;
    return [...out];
  }

  private hb(a: number, b: number): boolean {
    return this.hbs.hb(a, b);
  }

  /**
   * The race (i, j) can be reversed from the state before i by firing first an event that
   * leads to j: one of the initials of the events after i that happen before j (j among
   * them). Add one unless one is explored or queued there already (source sets).
   */
  private reverse(i: number, j: number): void {
    const dec = this.path[this.fired[i].decision] as ScheduleDecision;
    const leads: number[] = [];
    for (let k = i + 1; k <= j; k++) if (k === j || this.hb(k, j)) leads.push(k);
    const initials = leads.filter((k) => !leads.some((k2) => k2 < k && this.hb(k2, k)));
    const keys = initials.map((k) => this.fired[k].key);
    // Timed semantics: every reversal puts all the initials before i; one that had to come
    // after i in time cannot, so the race cannot be reversed (nothing to add).
    const forced = this.fired[i].forcedAfter;
    if (forced !== null && keys.some((k) => forced.has(k))) return;
    if (keys.some((k) => dec.backtrack.has(k) || dec.done.has(k))) return;
    const enabled = keys.find((k) => dec.enabled.some((e) => e.key === k));
    if (enabled !== undefined) {
      dec.backtrack.add(enabled);
      // The whole reversing sequence: what did not happen after i (in order), then j.
      const rest: string[] = [];
      for (let k = i + 1; k <= j; k++) if ((k === j || !this.hb(i, k)) && this.fired[k].key !== enabled) rest.push(this.fired[k].key);
      (dec.guide ??= new Map()).set(enabled, rest);
    } else for (const e of dec.enabled) dec.backtrack.add(e.key);
  }
}

/**
 * An event's footprint: what it was given when pushed (its node; a timeout, the answering node
 * too), with each node that described its part replaced by the entries it told, and the entries
 * it told of other nodes added (a SQL commit moves the primary's ledger; a client's disconnect
 * changes its session at the server).
 */
function footprint(base: readonly string[], told: EventAccess): readonly string[] {
  if (told.entries.length === 0 && told.described.length === 0) return base;
  const out = base.filter((r) => r === '' || !told.described.includes(r));
  for (const e of told.entries) {
    const node = e.slice(2, e.indexOf('/'));
    if (!out.includes(node)) out.push(e);
  }
  return out;
}
