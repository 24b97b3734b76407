// Cross-field checks on names: every node and item a scenario mentions must exist in it,
// lists name each thing once, and every Min/Max pair is ordered.
import { closestMatch } from './didYouMean.js';
import { appServerNames, nodeRole, replicaNames, topologyNodeNames } from '../inventory/nodeNames.js';
import { type CheckReporter, type IssuePath, pathText, quote, quoteList } from './report.js';
import type { ParsedScenario } from './scenarioObject.js';
import { defaultOrderCount } from './resolve.js';

/** The generator's default count, as resolve.ts will compute it (1.5 x the stock of its item). */
function defaultCount(s: ParsedScenario): number {
  const g = 'generate' in s.workload ? s.workload.generate : undefined;
  const item = g?.item ?? s.items[0]?.id;
  return defaultOrderCount(s.items.find((it) => it.id === item)?.stock ?? 0);
}

interface Names {
  apps: string[];
  /** The order ids of the workload: o1..oN. */
  orders: string[];
  replicas: string[];
  nodes: string[];
  items: string[];
}

// A numbered name that is merely out of range ("app7" of 3) gets the reason, not a guess.
function hintFor(name: string, candidates: readonly string[], reason?: string): string | undefined {
  if (reason !== undefined) return reason;
  const match = closestMatch(name, candidates);
  return match === undefined ? undefined : `did you mean ${quote(match)}?`;
}

function checkApp(report: CheckReporter, names: Names, path: IssuePath, name: string): void {
  if (names.apps.includes(name)) return;
  const range = names.apps.length === 1 ? '"app1"' : `"app1".."app${names.apps.length}"`;
  const why = nodeRole(name) === 'app'
    ? `topology.appServers is ${names.apps.length}`
    : names.nodes.includes(name) ? `${quote(name)} is not an app server` : undefined;
  report(path, `an app server (${range})`, quote(name), hintFor(name, names.apps, why));
}

const entries = (n: number) => `${n} ${n === 1 ? 'entry' : 'entries'}`;

function checkReplica(report: CheckReporter, names: Names, path: IssuePath, name: string): void {
  const replicas = names.replicas;
  if (replicas.includes(name)) return;
  const expected = replicas.length === 0 ? 'a replica, and topology.replicas is empty' : `a replica (${quoteList(replicas)})`;
  const why = nodeRole(name) === 'replica' ? `topology.replicas has ${entries(replicas.length)}`
    : names.nodes.includes(name) ? `${quote(name)} is not a replica` : undefined;
  report(path, expected, quote(name), hintFor(name, replicas, why));
}

function checkNode(report: CheckReporter, names: Names, path: IssuePath, name: string): void {
  if (names.nodes.includes(name)) return;
  const role = nodeRole(name);
  const why = role === 'replica' ? `topology.replicas has ${entries(names.replicas.length)}`
    : role === 'app' ? `topology.appServers is ${names.apps.length}` : undefined;
  report(path, `a node of this topology (${quoteList(names.nodes)})`, quote(name), hintFor(name, names.nodes, why));
}

function checkItem(report: CheckReporter, names: Names, path: IssuePath, id: string): void {
  if (names.items.includes(id)) return;
  report(path, `an item id from items (${quoteList(names.items)})`, quote(id), hintFor(id, names.items));
}

/** Reports every repeat of a value in `values`, pointing back at its first occurrence. */
function checkUnique(report: CheckReporter, path: IssuePath, values: readonly string[], what: string): void {
  const firstIndex = new Map<string, number>();
  values.forEach((value, index) => {
    const first = firstIndex.get(value);
    if (first === undefined) firstIndex.set(value, index);
    else report([...path, index], `each ${what} once`, `${quote(value)} again (first at ${pathText([...path, first])})`);
  });
}

function checkMinMax<K extends string>(
  report: CheckReporter, path: IssuePath, pair: Record<K, number>, minKey: K, maxKey: K, hasDefaults: boolean,
): void {
  const min = pair[minKey];
  const max = pair[maxKey];
  if (min <= max) return;
  const hint = hasDefaults ? `a field you leave out keeps its default, so set both ${minKey} and ${maxKey}` : undefined;
  report([...path, minKey], `${minKey} <= ${maxKey} (${max})`, String(min), hint);
}

function checkRanges(s: ParsedScenario, report: CheckReporter): void {
  s.topology.replicas.forEach((r, i) => checkMinMax(report, ['topology', 'replicas', i], r, 'lagMsMin', 'lagMsMax', true));
  checkMinMax(report, ['network'], s.network, 'delayMsMin', 'delayMsMax', true);
  s.network.links.forEach((l, i) => checkMinMax(report, ['network', 'links', i], l, 'delayMsMin', 'delayMsMax', false));
  checkMinMax(report, ['payment'], s.payment, 'delayMsMin', 'delayMsMax', true);
  checkMinMax(report, ['faults', 'randomPauses'], s.faults.randomPauses, 'durationMsMin', 'durationMsMax', true);
}

function checkTopology(s: ParsedScenario, names: Names, report: CheckReporter): void {
  checkUnique(report, ['items'], s.items.map((it) => it.id), 'item id');
  if (s.topology.readFrom === 'replicas' && s.topology.replicas.length === 0) {
    report(['topology', 'readFrom'], '"primary" when topology.replicas is empty', '"replicas"',
      'add a replica to topology.replicas, or read from "primary"');
  }
  const links = s.network.links;
  links.forEach((link, i) => {
    checkNode(report, names, ['network', 'links', i, 'from'], link.from);
    checkNode(report, names, ['network', 'links', i, 'to'], link.to);
    if (link.from === link.to) report(['network', 'links', i, 'to'], 'a node other than from', quote(link.to));
  });
  checkUnique(report, ['network', 'links'], links.map((l) => `${l.from} -> ${l.to}`), 'link (from -> to)');
}

function checkWorkload(s: ParsedScenario, names: Names, report: CheckReporter): void {
  const workload = s.workload;
  if ('orders' in workload) {
    workload.orders.forEach((order, i) => {
      const path = ['workload', 'orders', i];
      checkApp(report, names, [...path, 'app'], order.app);
      if (order.redelivered !== undefined) checkApp(report, names, [...path, 'redelivered', 'app'], order.redelivered.app);
      order.lines.forEach((line, j) => checkItem(report, names, [...path, 'lines', j, 'item'], line.item));
      if (order.lines.length > 1) checkUnique(report, [...path, 'lines'], order.lines.map((l) => l.item), 'item per order');
    });
    return;
  }
  const generate = workload.generate;
  if (generate.item !== undefined) checkItem(report, names, ['workload', 'generate', 'item'], generate.item);
  const apps = generate.apps ?? [];
  apps.forEach((app, i) => checkApp(report, names, ['workload', 'generate', 'apps', i], app));
  checkUnique(report, ['workload', 'generate', 'apps'], apps, 'app server');
}

/** Every call address names exactly one origin that exists: an order of the workload, or an app server's recovery. */
function checkAddress(report: CheckReporter, names: Names, path: IssuePath, a: { order?: string; process?: string }): void {
  if (a.order !== undefined && a.process !== undefined) {
    report([...path, 'process'], 'either "order" or "process", not both', 'both', 'a call is made by one order or one process');
    return;
  }
  if (a.order === undefined && a.process === undefined) {
    report(path, 'a call addressed by its origin: "order" (e.g. "o7") or "process" (e.g. "recover-app2"), and "attempt"', 'neither "order" nor "process"');
    return;
  }
  if (a.order !== undefined && !names.orders.includes(a.order)) {
    const range = names.orders.length === 0 ? 'the workload has no orders' : names.orders.length === 1 ? '"o1"' : `"o1".."o${names.orders.length}"`;
    report([...path, 'order'], `an order of this workload (${range})`, quote(a.order));
  }
  if (a.process !== undefined) {
    const app = a.process.slice('recover-'.length).replace(/#[0-9]+$/, '');
    if (!names.apps.includes(app)) report([...path, 'process'], `the recovery of an app server ("recover-app1".."recover-app${names.apps.length}")`, quote(a.process), hintFor(app, names.apps));
  }
}

function checkFaultNodes(s: ParsedScenario, names: Names, report: CheckReporter): void {
  const pauseNodes = s.faults.randomPauses.nodes;
  pauseNodes.forEach((node, i) => checkNode(report, names, ['faults', 'randomPauses', 'nodes', i], node));
  checkUnique(report, ['faults', 'randomPauses', 'nodes'], pauseNodes, 'node');
  s.faults.steps.forEach((step, i) => {
    const path = ['faults', 'steps', i];
    if (step.kind === 'pause' || step.kind === 'crash' || step.kind === 'clock') {
      checkNode(report, names, [...path, 'node'], step.node);
      if (step.kind === 'pause') {
        if (step.atMs === undefined && step.onDelivery === undefined) report([...path, 'atMs'], 'a time ("atMs") or a message ("onDelivery") at which the pause starts', 'neither');
        if (step.atMs !== undefined && step.onDelivery !== undefined) report([...path, 'onDelivery'], 'either "atMs" or "onDelivery", not both', 'both');
        if (step.onDelivery !== undefined) checkAddress(report, names, [...path, 'onDelivery'], step.onDelivery);
      }
    } else if (step.kind === 'payment-fail' || 'call' in step) {
      checkAddress(report, names, path, step);
    } else if (step.kind === 'delay-replica') {
      checkReplica(report, names, [...path, 'replica'], step.replica);
    } else if (step.kind === 'partition') {
      step.a.forEach((node, j) => checkNode(report, names, [...path, 'a', j], node));
      step.b.forEach((node, j) => checkNode(report, names, [...path, 'b', j], node));
      checkUnique(report, [...path, 'a'], step.a, 'node');
      checkUnique(report, [...path, 'b'], step.b, 'node');
      step.b.forEach((node, j) => {
        if (step.a.includes(node)) {
          report([...path, 'b', j], 'a node that is not also in a', quote(node), 'the two sides of a partition must be disjoint');
        }
      });
    }
  });
}

export function checkReferences(s: ParsedScenario, report: CheckReporter): void {
  const names: Names = {
    apps: appServerNames(s.topology.appServers),
    orders: Array.from({ length: 'orders' in s.workload ? s.workload.orders.length : (s.workload.generate.count ?? defaultCount(s)) }, (_, i) => `o${i + 1}`),
    replicas: replicaNames(s.topology.replicas.length),
    nodes: topologyNodeNames(s.topology, s.sql !== undefined),
    items: s.items.map((it) => it.id),
  };
  checkTopology(s, names, report);
  checkRanges(s, report);
  checkWorkload(s, names, report);
  checkFaultNodes(s, names, report);
  if (s.expect !== null && Array.isArray(s.expect.violations)) {
    checkUnique(report, ['expect', 'violations'], s.expect.violations, 'invariant');
  }
}
