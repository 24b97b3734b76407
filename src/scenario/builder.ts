// A fluent builder for scenarios in code. Its methods mirror the file vocabulary one to one:
// `.pause('app1', { atMs, durationMs })` is `{ "kind": "pause", "node": "app1", ... }` in
// `faults.steps`, `.appServers(2)` is `topology.appServers`, and so on. It checks nothing
// itself: `.build()` renders the file form and hands it to the real loader, so a scenario
// written in code and the same scenario written as JSON are accepted, refused and resolved
// identically, with the same messages.
import { parseScenario } from './load.js';
import { formatProblem, type ScenarioProblem } from './problem.js';
import type { CallKind, InvariantName, Scenario, ScenarioInput } from './schema.js';
import { InputError } from '../errors.js';

type Section<K extends keyof ScenarioInput> = NonNullable<ScenarioInput[K]>;
type Topology = Section<'topology'>;
type Network = Section<'network'>;
type Faults = Section<'faults'>;
type Workload = Section<'workload'>;

/** `items[]` as a file gives it. */
export type ItemInput = Section<'items'>[number];
/** One replica of `topology.replicas` (lags in ms). */
export type ReplicaInput = NonNullable<Topology['replicas']>[number];
/** `network` without `links` (links have their own method). */
export type NetworkInput = Omit<Network, 'links'>;
/** One explicit order of `workload.orders`: `{ atMs?, app, item, qty? }` or `{ atMs?, app, lines }`. */
export type OrderInput = NonNullable<Workload['orders']>[number];
export type GenerateInput = NonNullable<Workload['generate']>;
export type PaymentInput = Section<'payment'>;
export type RandomPausesInput = NonNullable<Faults['randomPauses']>;
export type ClockSkewInput = NonNullable<Faults['clockSkew']>;
export type FaultStepInput = NonNullable<Faults['steps']>[number];
export type StrategyOptionsInput = NonNullable<Section<'strategy'>['options']>;
export type LimitsInput = Section<'limits'>;
/**
 * A call by its origin, as fault steps address it: the order (or process) that made it and
 * which of its calls of that kind (`attempt`, default 1). `{ order: 'o7', attempt: 2 }`.
 */
export type CallBy = { readonly order: string; readonly attempt?: number } | { readonly process: string; readonly attempt?: number };

/** A message by origin: a call, request or reply, original or duplicate. */
export type MessageBy = CallBy & { readonly call: CallKind; readonly reply?: boolean; readonly copy?: number };

/** `expect.violations`: "none", "any" or the invariants that must break. */
export type ExpectedViolations = 'none' | 'any' | readonly InvariantName[];

/** Thrown by `.build()`: the message is the loader's problems, one per line. */
export class ScenarioBuildError extends InputError {
  constructor(readonly problems: readonly ScenarioProblem[]) {
    super(problems.map(formatProblem).join('\n'), 'INVALID_SCENARIO');
    this.name = 'ScenarioBuildError';
  }
}

/** The file form under construction. Sections appear only once a method touched them. */
interface Draft {
  $schema?: string;
  name?: string;
  timing?: 'sampled' | 'windowed';
  description?: string;
  seed?: number;
  items?: ItemInput[];
  topology?: Record<string, unknown>;
  network?: Record<string, unknown>;
  payment?: Record<string, unknown>;
  workload?: { orders?: OrderInput[]; generate?: GenerateInput };
  faults?: Record<string, unknown>;
  strategy?: { name: string; options?: StrategyOptionsInput };
  limits?: Record<string, unknown>;
  explore?: Record<string, number>;
  expect?: { violations: ExpectedViolations } | null;
}

/** Keys in the order scenario files list them, so `toJSON()` reads like a file. */
const KEY_ORDER: ReadonlyArray<keyof Draft> = [
  '$schema', 'name', 'description', 'seed', 'items', 'topology', 'network', 'payment', 'workload', 'faults', 'strategy', 'limits', 'timing', 'explore', 'expect',
];

/**
 * Immutable: every method returns a new builder, so a base scenario can be varied freely:
 * `const base = scenario('sale').items({ vase: 1 }); base.strategy('lock-lease'); base.strategy('lock-fencing')`.
 */
export class ScenarioBuilder {
  private constructor(private readonly draft: Readonly<Draft>) {}

  /** Use `scenario(name)`. */
  static start(name?: string): ScenarioBuilder {
    return new ScenarioBuilder(name === undefined ? {} : { name });
  }

  private with(patch: Partial<Draft>): ScenarioBuilder {
    return new ScenarioBuilder({ ...this.draft, ...patch });
  }

  private section(key: 'topology' | 'network' | 'payment' | 'faults' | 'limits', patch: Record<string, unknown>): ScenarioBuilder {
    return this.with({ [key]: { ...this.draft[key], ...patch } });
  }

  private step(step: FaultStepInput): ScenarioBuilder {
    const steps = (this.draft.faults?.steps ?? []) as FaultStepInput[];
    return this.section('faults', { steps: [...steps, step] });
  }

  // ---- top level ----

  /** `$schema`: the JSON Schema reference editors use, e.g. "./schema/scenario.schema.json". */
  $schema(ref: string): ScenarioBuilder {
    return this.with({ $schema: ref });
  }

  /** `name`. */
  name(name: string): ScenarioBuilder {
    return this.with({ name });
  }

  /** `description`. */
  description(text: string): ScenarioBuilder {
    return this.with({ description: text });
  }

  /** `seed`: the default root seed. */
  seed(seed: number): ScenarioBuilder {
    return this.with({ seed });
  }

  /** `timing`: how delays are decided, "sampled" (the default) or "windowed" (docs/exploration.md). */
  timing(model: 'sampled' | 'windowed'): ScenarioBuilder {
    return this.with({ timing: model });
  }

  /** `items`, replacing any given before: `{ vase: 10, lamp: 2 }` or `[{ id: 'vase', stock: 10 }]`. */
  items(items: Readonly<Record<string, number>> | readonly ItemInput[]): ScenarioBuilder {
    const list = Array.isArray(items)
      ? (items as readonly ItemInput[]).map((it) => ({ ...it }))
      : Object.entries(items as Record<string, number>).map(([id, stock]) => ({ id, stock }));
    return this.with({ items: list });
  }

  /** One more entry of `items` (keeps the order of ids such as "1", which an object would not). */
  item(id: string, stock: number): ScenarioBuilder {
    return this.with({ items: [...(this.draft.items ?? []), { id, stock }] });
  }

  // ---- topology ----

  /** `topology.appServers`: app servers named app1..appN. */
  appServers(count: number): ScenarioBuilder {
    return this.section('topology', { appServers: count });
  }

  /** `topology.replicas`, replacing any given before: one argument per replica (replica1, replica2, ...). */
  replicas(...replicas: ReplicaInput[]): ScenarioBuilder {
    return this.section('topology', { replicas: replicas.map((r) => ({ ...r })) });
  }

  /** `topology.readFrom`. */
  readFrom(from: NonNullable<Topology['readFrom']>): ScenarioBuilder {
    return this.section('topology', { readFrom: from });
  }

  /** `topology.dbTickMs`. */
  dbTickMs(ms: number): ScenarioBuilder {
    return this.section('topology', { dbTickMs: ms });
  }

  // ---- network and payment ----

  /** Fields of `network` (delays and chance rates), merged over those given before. */
  network(network: NetworkInput): ScenarioBuilder {
    return this.section('network', { ...network });
  }

  /** One entry of `network.links`: the one-way delay from `from` to `to`. */
  link(from: string, to: string, delay: { delayMsMin: number; delayMsMax: number }): ScenarioBuilder {
    const links = (this.draft.network?.links ?? []) as unknown[];
    return this.section('network', { links: [...links, { from, to, delayMsMin: delay.delayMsMin, delayMsMax: delay.delayMsMax }] });
  }

  /** Fields of `payment`, merged over those given before. */
  payment(payment: PaymentInput): ScenarioBuilder {
    return this.section('payment', { ...payment });
  }

  // ---- workload ----

  /** One more entry of `workload.orders`. */
  order(order: OrderInput): ScenarioBuilder {
    return this.orders([order]);
  }

  /** More entries of `workload.orders`, in order (they are named o1, o2, ...). */
  orders(orders: readonly OrderInput[]): ScenarioBuilder {
    const w = this.draft.workload ?? {};
    const added = orders.map((o): OrderInput => ('lines' in o && o.lines !== undefined ? { ...o, lines: o.lines.map((l) => ({ ...l })) } : { ...o }));
    return this.with({ workload: { ...w, orders: [...(w.orders ?? []), ...added] } });
  }

  /** `workload.generate`. Giving orders too is refused by the loader, as in a file. */
  generate(generate: GenerateInput = {}): ScenarioBuilder {
    const g: GenerateInput = generate.apps === undefined ? { ...generate } : { ...generate, apps: [...generate.apps] };
    return this.with({ workload: { ...this.draft.workload, generate: g } });
  }

  // ---- faults: the chaos knobs ----

  /** `faults.untilMs`: the end of the fault phase (null: never). */
  faultsUntilMs(ms: number | null): ScenarioBuilder {
    return this.section('faults', { untilMs: ms });
  }

  /** `faults.randomPauses`. */
  randomPauses(pauses: RandomPausesInput): ScenarioBuilder {
    return this.section('faults', { randomPauses: { ...pauses, ...(pauses.nodes ? { nodes: [...pauses.nodes] } : {}) } });
  }

  /** `faults.clockSkew`. */
  clockSkew(skew: ClockSkewInput): ScenarioBuilder {
    return this.section('faults', { clockSkew: { ...skew } });
  }

  // ---- faults: the timeline, one method per step kind ----

  /**
   * `{ kind: 'pause', node, atMs, durationMs }`: freeze a node (a GC or VM pause) at a time; or
   * `{ kind: 'pause', node, onDelivery, durationMs }`: as a message is delivered, before its
   * receiver handles it (`{ onDelivery: { order: 'o7', call: 'reserve', reply: true }, durationMs: 500 }`).
   */
  pause(node: string, at: { atMs: number; durationMs: number } | { onDelivery: MessageBy; durationMs: number }): ScenarioBuilder {
    if ('onDelivery' in at) return this.step({ kind: 'pause', node, onDelivery: { ...at.onDelivery }, durationMs: at.durationMs });
    return this.step({ kind: 'pause', node, atMs: at.atMs, durationMs: at.durationMs });
  }

  /** `{ kind: 'crash', node, atMs, restartAtMs }`: crash a node, and restart it unless restartAtMs is null or left out. */
  crash(node: string, at: { atMs: number; restartAtMs?: number | null }): ScenarioBuilder {
    return this.step(at.restartAtMs === undefined ? { kind: 'crash', node, atMs: at.atMs } : { kind: 'crash', node, atMs: at.atMs, restartAtMs: at.restartAtMs });
  }

  /** `{ kind: 'partition', a, b, atMs, healAtMs, direction }`: cut the links between two groups. */
  partition(a: readonly string[], b: readonly string[], at: { atMs: number; healAtMs: number; direction?: 'both' | 'a-to-b' }): ScenarioBuilder {
    const step: FaultStepInput = { kind: 'partition', a: [...a], b: [...b], atMs: at.atMs, healAtMs: at.healAtMs };
    return this.step(at.direction === undefined ? step : { ...step, direction: at.direction });
  }

  /** `{ kind: 'clock', node, offsetMs, driftPpm }`: skew a node's local clock. */
  clock(node: string, skew: { offsetMs?: number; driftPpm?: number }): ScenarioBuilder {
    return this.step({ kind: 'clock', node, ...skew });
  }

  /** `{ kind: 'drop-request', call, order | process, attempt }`: that call's request never arrives. */
  dropRequest(call: CallKind, by: CallBy): ScenarioBuilder {
    return this.step({ kind: 'drop-request', call, ...by });
  }

  /** `{ kind: 'drop-reply', call, order | process, attempt, copy }`: that call's request is applied, its reply (to the original, or with `copy: 1` to the duplicate) lost. */
  dropReply(call: CallKind, by: CallBy & { copy?: number }): ScenarioBuilder {
    return this.step({ kind: 'drop-reply', call, ...by });
  }

  /** `{ kind: 'duplicate-request', call, order | process, attempt, copyExtraMs, copyReplyExtraMs }`: that call's request arrives twice; `late` delays the copy and its reply. */
  duplicateRequest(call: CallKind, by: CallBy, late: { copyExtraMs?: number; copyReplyExtraMs?: number } = {}): ScenarioBuilder {
    return this.step({ kind: 'duplicate-request', call, ...by, ...late });
  }

  /** `{ kind: 'delay-call', call, order | process, attempt, extraMs }`: that call's request arrives extraMs late. */
  delayCall(call: CallKind, by: CallBy & { extraMs: number }): ScenarioBuilder {
    return this.step({ kind: 'delay-call', call, ...by });
  }

  /** `{ kind: 'delay-reply', call, order | process, attempt, extraMs, copy }`: that call's request is applied, its reply arrives extraMs late. */
  delayReply(call: CallKind, by: CallBy & { extraMs: number; copy?: number }): ScenarioBuilder {
    return this.step({ kind: 'delay-reply', call, ...by });
  }

  /** `{ kind: 'delay-replica', replica, entry, extraMs }`: a replica applies the entry-th log entry extraMs late (and the entries after it wait). */
  delayReplica(replica: string, lag: { entry: number; extraMs: number }): ScenarioBuilder {
    return this.step({ kind: 'delay-replica', replica, entry: lag.entry, extraMs: lag.extraMs });
  }

  /** `{ kind: 'payment-fail', order | process, attempt, copy }`: the payment provider declines that charge request. */
  paymentFail(by: CallBy & { copy?: number }): ScenarioBuilder {
    return this.step({ kind: 'payment-fail', ...by });
  }

  // ---- strategy, limits, expect ----

  /** `strategy`: the name, and its options if any. */
  strategy(name: string, options?: StrategyOptionsInput): ScenarioBuilder {
    return this.with({ strategy: options === undefined ? { name } : { name, options: { ...options } } });
  }

  /** Fields of `limits`, merged over those given before. */
  limits(limits: LimitsInput): ScenarioBuilder {
    return this.section('limits', { ...limits });
  }

  /** `expect.violations` ("none", "any" or invariant names); null removes the expectation. */
  expect(violations: ExpectedViolations | null): ScenarioBuilder {
    return this.with({ expect: violations === null ? null : { violations: typeof violations === 'string' ? violations : [...violations] } });
  }

  // ---- output ----

  /** The file form: exactly what a scenario file with these fields contains (defaults left out). */
  toJSON(): ScenarioInput {
    const out: Record<string, unknown> = {};
    for (const key of KEY_ORDER) {
      if (this.draft[key] !== undefined) out[key] = copy(this.draft[key]);
    }
    return out as ScenarioInput;
  }

  /** The file text, as `oversold validate` would read it. */
  toText(): string {
    return `${JSON.stringify(this.toJSON(), null, 2)}\n`;
  }

  /**
   * Validates through the real loader and returns the resolved scenario (every default filled
   * in, ready for `runOnce`). Throws a ScenarioBuildError whose message is the loader's
   * problems, one line each, labelled `scenario("name")` instead of a file.
   */
  build(): Scenario {
    const label = this.draft.name === undefined ? 'scenario()' : `scenario(${JSON.stringify(this.draft.name)})`;
    let text: string;
    try {
      text = JSON.stringify(this.toJSON());
    } catch (e) {
      throw new ScenarioBuildError([{ file: label, path: '', expected: 'values JSON can hold (numbers, strings, booleans, arrays, objects)',
        found: `a value JSON.stringify refuses (${e instanceof Error ? e.message : String(e)})` }]);
    }
    // Without a name the loader names the scenario after its file, so give it the default one.
    const result = parseScenario(text, 'scenario.json');
    if (result.ok) return result.scenario;
    // Line and column point into text nobody sees; the JSON path names the field.
    throw new ScenarioBuildError(result.problems.map((p) => {
      const { line: _line, column: _column, ...rest } = p;
      return { ...rest, file: label };
    }));
  }
}

/** A deep copy of plain JSON-like data, so callers cannot reach into a builder's state. */
function copy<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copy) as T;
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    // defineProperty, not assignment: an own "__proto__" key stays a key (and is then refused).
    for (const [k, v] of Object.entries(value)) Object.defineProperty(out, k, { value: copy(v), enumerable: true, writable: true, configurable: true });
    return out as T;
  }
  return value;
}

/**
 * Starts a scenario in code. Each method is the data form's twin:
 *
 * ```ts
 * const s = scenario('lease-pause')
 *   .items({ vase: 1 }).appServers(2)
 *   .order({ atMs: 0, app: 'app1', item: 'vase' }).order({ atMs: 50, app: 'app2', item: 'vase' })
 *   .pause('app1', { atMs: 300, durationMs: 5000 })
 *   .strategy('lock-lease', { leaseTicks: 20 })
 *   .expect(['no-oversell'])
 *   .build();
 * ```
 */
export function scenario(name?: string): ScenarioBuilder {
  return ScenarioBuilder.start(name);
}
