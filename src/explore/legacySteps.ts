import { readFileSync } from 'node:fs';
import { parseScenario, resolveScenarioRef, CALL_KINDS, type ScenarioProblem, type Scenario } from '../scenario/index.js';
import { locateJsonPath } from '../scenario/jsonLocate.js';
import { lineColumnAt } from '../scenario/jsonSyntax.js';
import { STRATEGIES } from '../inventory/strategies/index.js';
import type { FaultStepConfig } from '../inventory/faultSteps.js';
import type { Message } from '../sim/network.js';
import { runOnce } from './run.js';
import { ordinal } from '../scenario/describeStep.js';

/**
 * Scenario files before trace format 2 addressed call faults by `nth`: the nth call of a kind
 * counted over all nodes in send order. That count changes with the interleaving, so the same
 * step hit different messages under different schedules; steps now name a call by its origin
 * (order or process, call, attempt). Such a file is refused, and for each old step this finds
 * the equivalent new one: it runs the scenario at its own seed with the old global count (the
 * kernel still knows it for exactly this) and reads off which message each step hit.
 *
 * Returns null when the file has no old step (or cannot be read or parsed: the loader's own
 * problems say why).
 */
export function legacyStepProblems(file: string, text?: string, cwd?: string): ScenarioProblem[] | null {
  let source: string;
  let raw: unknown;
  try {
    source = text ?? readFileSync(cwd === undefined ? file : resolveScenarioRef(file, cwd), 'utf8');
    raw = JSON.parse(source.startsWith('\uFEFF') ? source.slice(1) : source);
  } catch {
    return null;
  }
  const steps = (raw as { faults?: { steps?: unknown } } | null)?.faults?.steps;
  if (!Array.isArray(steps)) return null;
  const old = steps.flatMap((st, index) => (isOldStep(st) ? [{ index, step: st as OldStep }] : []));
  if (old.length === 0) return null;
  const oldAt = new Set(old.map((o) => o.index));
  const stripped = structuredClone(raw) as { faults: { steps: unknown[] } };
  stripped.faults.steps = steps.filter((_, i) => !oldAt.has(i));
  const parsed = parseScenario(JSON.stringify(stripped), file);
  // Anything else wrong comes first (the loader's problems, with the old steps among them).
  if (!parsed.ok) return null;
  const scenario = parsed.scenario;
  const problem = (o: { index: number; step: OldStep }, equivalent: string): ScenarioProblem => {
    const path = ['faults', 'steps', o.index, 'nth'];
    const at = lineColumnAt(source, locateJsonPath(source, path));
    return {
      file, path: `$.faults.steps[${o.index}].nth`,
      expected: 'a call addressed by its origin ("order" or "process", and "attempt")',
      found: `"nth": ${o.step.nth ?? 1} (the ${ordinal(Number(o.step.nth ?? 1))} ${o.step.kind === 'payment-fail' ? 'charge handled' : `${o.step.call ?? 'call'} sent`} over all nodes: a count that changes with the interleaving)`,
      hint: equivalent,
      line: at.line, column: at.column,
    };
  };
  const strategy = STRATEGIES.get(scenario.strategy.name);
  if (strategy === undefined) {
    return old.map((o) => problem(o, `write the call by origin, e.g. {"kind": "${o.step.kind}", ${o.step.call ? `"call": "${o.step.call}", ` : ''}"order": "o1", "attempt": 1} (oversold finds the equivalent step for built-in strategies only: run it with --strategy <a built-in> to see one)`));
  }
  // The old steps back in their places, counted the old way.
  const merged: FaultStepConfig[] = [];
  let k = 0;
  steps.forEach((_, i) => {
    if (oldAt.has(i)) merged.push(legacyConfig(old.find((o) => o.index === i)!.step));
    else merged.push(scenario.faults.steps[k++] as FaultStepConfig);
  });
  const hits = new Map<number, Message>();
  runOnce({ ...scenario, faults: { ...scenario.faults, steps: merged } } as Scenario, {
    seed: scenario.seed,
    strategy,
    onLegacyHit: (stepIndex, m) => {
      if (!hits.has(stepIndex)) hits.set(stepIndex, m);
    },
  });
  const orders = 'orders' in scenario.workload ? scenario.workload.orders.length : scenario.workload.generate.count;
  return old.map((o) => {
    const m = hits.get(o.index);
    const how = `(found by running the scenario at its own seed ${scenario.seed} with the old global count)`;
    if (m === undefined) return problem(o, `at seed ${scenario.seed} no such call was made: remove the step ${how}`);
    const byOrder = /^o[1-9][0-9]*$/.test(m.proc) && Number(m.proc.slice(1)) <= orders;
    const { nth: _nth, ...rest } = o.step;
    const step = { ...rest, ...(byOrder ? { order: m.proc } : { process: m.proc }), attempt: m.attempt };
    return problem(o, `the equivalent step at this scenario's seed is ${JSON.stringify(step)} ${how}`);
  });
}

interface OldStep {
  readonly kind: string;
  readonly call?: string;
  readonly nth?: number;
  readonly [key: string]: unknown;
}

const CALL_STEP_KINDS = new Set(['drop-request', 'drop-reply', 'duplicate-request', 'delay-call', 'delay-reply']);

function isOldStep(st: unknown): boolean {
  if (typeof st !== 'object' || st === null || !Object.hasOwn(st, 'nth')) return false;
  const s = st as OldStep;
  if (Object.hasOwn(s, 'order') || Object.hasOwn(s, 'process')) return false;
  if (s.kind === 'payment-fail') return true;
  return CALL_STEP_KINDS.has(s.kind) && typeof s.call === 'string' && (CALL_KINDS as readonly string[]).includes(s.call);
}

/** An old step as the world runs it: counted by `nth` (default 1, as the old schema had it). */
function legacyConfig(s: OldStep): FaultStepConfig {
  const nth = typeof s.nth === 'number' && Number.isInteger(s.nth) && s.nth >= 1 ? s.nth : 1;
  const num = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : 0);
  switch (s.kind) {
    case 'payment-fail':
      return { kind: 'payment-fail', nth };
    case 'duplicate-request':
      return { kind: 'duplicate-request', call: s.call!, nth, copyExtraMs: num(s.copyExtraMs), copyReplyExtraMs: num(s.copyReplyExtraMs) };
    case 'delay-call':
    case 'delay-reply':
      return { kind: s.kind, call: s.call!, nth, extraMs: num(s.extraMs) };
    default:
      return { kind: s.kind as 'drop-request' | 'drop-reply', call: s.call!, nth };
  }
}
