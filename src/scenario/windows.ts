// Cross-field checks on time: windows are not inverted, every fault and order happens before
// the run's time budget ends, and faults that the kernel could not apply together (two pauses
// of one node at once, two partitions cutting the same link) do not overlap.
import { topologyNodeNames } from '../inventory/nodeNames.js';
import { type CheckReporter, type IssuePath, pathText } from './report.js';
import type { ParsedScenario } from './scenarioObject.js';
import type { FaultStep } from './faultsSchema.js';

type Step<K extends FaultStep['kind']> = Extract<FaultStep, { kind: K }>;

// The kernel still runs events at exactly maxTimeMs; anything later never happens.
function checkBeforeEnd(report: CheckReporter, path: IssuePath, atMs: number, maxTimeMs: number): void {
  if (atMs <= maxTimeMs) return;
  report(path, `a time no later than limits.maxTimeMs (${maxTimeMs})`, String(atMs),
    'the run stops at limits.maxTimeMs: raise it, or move this earlier');
}

function checkInstants(s: ParsedScenario, report: CheckReporter): void {
  const maxTimeMs = s.limits.maxTimeMs;
  if ('orders' in s.workload) {
    s.workload.orders.forEach((o, i) => checkBeforeEnd(report, ['workload', 'orders', i, 'atMs'], o.atMs, maxTimeMs));
  } else {
    checkBeforeEnd(report, ['workload', 'generate', 'windowMs'], s.workload.generate.windowMs, maxTimeMs);
  }
  s.faults.steps.forEach((step, i) => {
    const path = ['faults', 'steps', i];
    if ('atMs' in step && step.atMs !== undefined) checkBeforeEnd(report, [...path, 'atMs'], step.atMs, maxTimeMs);
    if (step.kind === 'crash' && step.restartAtMs !== null && step.restartAtMs <= step.atMs) {
      report([...path, 'restartAtMs'], `a time after atMs (${step.atMs})`, String(step.restartAtMs));
    }
    if (step.kind === 'partition' && step.healAtMs <= step.atMs) {
      report([...path, 'healAtMs'], `a time after atMs (${step.atMs})`, String(step.healAtMs));
    }
  });
  const pauses = s.faults.randomPauses;
  if (pauses.perMille > 0 && pauses.durationMsMax === 0) {
    report(['faults', 'randomPauses', 'durationMsMax'], 'at least 1 when randomPauses.perMille > 0', '0',
      'a pause of 0 ms does nothing');
  }
  const crashes = s.faults.randomCrashes;
  if (crashes !== undefined && crashes.restartMsMax < crashes.restartMsMin) {
    report(['faults', 'randomCrashes', 'restartMsMax'], `at least restartMsMin (${crashes.restartMsMin})`, String(crashes.restartMsMax));
  }
  if (crashes !== undefined && crashes.perMille > 0 && crashes.restartMsMax === 0) {
    report(['faults', 'randomCrashes', 'restartMsMax'], 'at least 1 when randomCrashes.perMille > 0', '0', 'sampled timing draws the time down in [1, restartMsMax]');
  }
}

interface Outage { path: IssuePath; startMs: number; endMs: number; label: string }

function outageOf(step: (Step<'pause'> & { atMs: number }) | Step<'crash'>, path: IssuePath): Outage {
  if (step.kind === 'pause') {
    const endMs = step.atMs + step.durationMs;
    return { path, startMs: step.atMs, endMs, label: `pause of ${step.node} from ${step.atMs} to ${endMs} ms` };
  }
  const endMs = step.restartAtMs ?? Infinity;
  const until = step.restartAtMs === null ? 'never restarted' : `restarted at ${step.restartAtMs} ms`;
  return { path, startMs: step.atMs, endMs, label: `crash of ${step.node} at ${step.atMs} ms, ${until}` };
}

/** A node is paused or crashed at most once at a time: the kernel asserts "pause only a running node". */
function checkOutages(s: ParsedScenario, report: CheckReporter): void {
  const byNode = new Map<string, Outage[]>();
  s.faults.steps.forEach((step, i) => {
    if (step.kind !== 'pause' && step.kind !== 'crash') return;
    // A pause addressed to a delivery has no time of its own to compare (the kernel lets a
    // longer pause extend a shorter one, and ignores one that strikes a crashed node).
    if (step.kind === 'pause' && step.atMs === undefined) return;
    const list = byNode.get(step.node) ?? [];
    list.push(outageOf(step as (Step<'pause'> & { atMs: number }) | Step<'crash'>, ['faults', 'steps', i]));
    byNode.set(step.node, list);
  });
  for (const outages of byNode.values()) {
    // Stable sort by start: equal starts keep file order, so the report is deterministic.
    const sorted = [...outages].sort((x, y) => x.startMs - y.startMs);
    let longest = sorted[0];
    for (const outage of sorted.slice(1)) {
      if (outage.startMs < longest.endMs) {
        report(outage.path, `no overlap with ${pathText(longest.path)} (${longest.label})`, outage.label,
          'a node can be paused or crashed only once at a time');
      }
      if (outage.endMs > longest.endMs) longest = outage;
    }
  }
}

/** Two partitions may overlap in time only if they cut different links, else healing one is ambiguous. */
function checkPartitions(s: ParsedScenario, report: CheckReporter): void {
  const bit = new Map(topologyNodeNames(s.topology, s.sql !== undefined).map((name, i) => [name, 1n << BigInt(i)]));
  const mask = (nodes: string[]) => nodes.reduce((m, n) => m | (bit.get(n) ?? 0n), 0n);
  const partitions = s.faults.steps.flatMap((step, i) => {
    if (step.kind !== 'partition') return [];
    const a = mask(step.a);
    const b = mask(step.b);
    const cuts: [bigint, bigint][] = step.direction === 'both' ? [[a, b], [b, a]] : [[a, b]];
    return [{ step, cuts, path: ['faults', 'steps', i] }];
  });
  partitions.forEach((q, qi) => {
    for (const p of partitions.slice(0, qi)) {
      const overlapInTime = p.step.atMs < q.step.healAtMs && q.step.atMs < p.step.healAtMs;
      const shareLink = p.cuts.some(([f, t]) => q.cuts.some(([f2, t2]) => (f & f2) !== 0n && (t & t2) !== 0n));
      if (overlapInTime && shareLink) {
        report(q.path, `no overlap with ${pathText(p.path)} (partition from ${p.step.atMs} to ${p.step.healAtMs} ms)`,
          `a partition from ${q.step.atMs} to ${q.step.healAtMs} ms cutting a link it also cuts`,
          'merge them into one step, or make their time windows disjoint');
        return;
      }
    }
  });
}

/** The same call-addressed (or counted) fault listed twice is almost certainly a copy-paste slip. */
function checkRepeats(s: ParsedScenario, report: CheckReporter): void {
  const first = new Map<string, number>();
  s.faults.steps.forEach((step, i) => {
    let key: string | undefined;
    if (step.kind === 'clock') key = `clock ${step.node}`;
    else if (step.kind === 'payment-fail') key = `payment-fail ${step.order ?? step.process} ${step.attempt} ${step.copy}`;
    else if (step.kind === 'delay-replica') key = `delay-replica ${step.replica} ${step.entry}`;
    else if ('call' in step) key = `${step.kind} ${step.call} ${step.order ?? step.process} ${step.attempt} ${'copy' in step ? step.copy : 0}`;
    if (key === undefined) return;
    const firstIndex = first.get(key);
    if (firstIndex === undefined) first.set(key, i);
    else report(['faults', 'steps', i], 'each fault once', `the same ${step.kind} step as ${pathText(['faults', 'steps', firstIndex])}`);
  });
}

export function checkWindows(s: ParsedScenario, report: CheckReporter): void {
  checkInstants(s, report);
  checkOutages(s, report);
  checkPartitions(s, report);
  checkRepeats(s, report);
}
