import type { TraceEvent } from '../sim/trace.js';
import { num, str, unitsOf, type DomainEvent, type MessageView, type TraceIndex } from './traceIndex.js';

/**
 * A trace turned into the rows of a space-time diagram: one row per delivered or dropped
 * message (the server's domain events folded into it), per fault and per order milestone.
 * Sends are not rows: a message is drawn once, where it lands, with the time it left.
 * Shared by the terminal timeline and the HTML report.
 */
export type RowKind = 'message' | 'drop' | 'order' | 'op' | 'fault' | 'note' | 'error' | 'span';

export interface Row {
  /** Trace index of the event the row is drawn for. */
  readonly index: number;
  /** Trace indexes the row stands for (the delivery and the domain events folded into it). */
  readonly covers: readonly number[];
  readonly t: number;
  readonly kind: RowKind;
  /** The type of the trace event the row is drawn for: what pictures key on (never the label's words). */
  readonly type: TraceEvent['type'];
  /** Message rows: sender and receiver; other rows: the node the mark sits on (`from`). */
  readonly from: string | null;
  readonly to: string | null;
  readonly message: MessageView | null;
  /** Where a dropped message died: at the sender (never sent) or at the receiver (in flight). */
  readonly dropAt: 'send' | 'deliver' | null;
  readonly label: string;
  readonly orders: readonly string[];
  /** Units handed out by the domain events of this row. */
  readonly units: readonly string[];
  /** Spans: every node a partition cuts, or none for faults-end (the whole width). */
  readonly nodes: readonly string[];
}

/** Domain events folded into a delivery row, in a few words each. */
function opText(e: DomainEvent): string {
  const d = e.data;
  const units = unitsOf(e);
  const took = units.length > 0 ? ` → ${units.join(',')}` : '';
  switch (e.what) {
    case 'replica-read': {
      const behind = (num(d.primarySeq) ?? 0) - (num(d.appliedSeq) ?? 0);
      return `= ${num(d.stock) ?? '?'} (${behind > 0 ? `${behind} behind` : 'fresh'})`;
    }
    case 'db:read':
      return `read = ${num(d.stock) ?? '?'}`;
    case 'db:write':
    case 'db:cas':
    case 'db:fenced-write':
      return `${e.what.slice(3)} ${num(d.from) ?? '?'}→${num(d.to) ?? '?'}${took}`;
    case 'db:decrement':
      return `decrement ${num(d.from) ?? '?'}→${num(d.to) ?? '?'}${took}`;
    case 'db:dedup':
      return 'retry: stored outcome';
    case 'lock:lock':
      return `granted token ${num(d.token) ?? '?'}`;
    case 'lock:unlock':
      return `released token ${num(d.token) ?? '?'}`;
    default: {
      const reason = str(d.reason) ?? str(d.reservationId) ?? '';
      return `${e.what.replace(/^(db|lock|payment):/, '')}${reason ? ` ${reason}` : ''}${took}`;
    }
  }
}

function markText(e: TraceEvent): { kind: RowKind; label: string } | null {
  switch (e.type) {
    case 'pause':
      return { kind: 'fault', label: `${e.node} paused ${e.untilMs - e.t} ms (until ${e.untilMs})` };
    case 'resume':
      return { kind: 'fault', label: `${e.node} resumes` };
    case 'crash':
      return { kind: 'fault', label: `${e.node} crashed` };
    case 'restart':
      return { kind: 'fault', label: `${e.node} restarted` };
    case 'clock':
      return { kind: 'fault', label: `${e.node} clock ${e.offsetMs >= 0 ? '+' : ''}${e.offsetMs} ms, ${e.driftPpm} ppm` };
    case 'timeout':
      return { kind: 'error', label: `${e.order ?? e.node} timed out on ${e.call}` };
    case 'late-reply':
      return { kind: 'note', label: `late ${e.call} reply ignored` };
    case 'process-error':
      return { kind: 'error', label: `${e.process}: ${e.error}` };
    case 'domain': {
      const o = e.order ? `${e.order} ` : '';
      if (e.what === 'order-start') {
        const lines = Array.isArray(e.data.lines) ? (e.data.lines as Array<{ item?: unknown; qty?: unknown }>) : [];
        return { kind: 'order', label: `${o}starts (${lines.map((l) => `${String(l.qty)}×${String(l.item)}`).join(', ')})` };
      }
      if (e.what === 'order-result') return { kind: 'order', label: `${o}→ ${str(e.data.answer) ?? '?'}` };
      if (e.what === 'order-error') return { kind: 'error', label: `${o}strategy error: ${str(e.data.error) ?? ''}` };
      if (e.what.startsWith('note:')) return { kind: 'note', label: `${o}note ${e.what.slice(5)}` };
      return { kind: 'op', label: `${o}${opText(e)}` };
    }
    default:
      return null;
  }
}

export function buildRows(ix: TraceIndex): Row[] {
  const rows: Row[] = [];
  const folded = new Set<number>();
  const ev = ix.events;
  ev.forEach((e, index) => {
    if (folded.has(index)) return;
    if (e.type === 'send' || e.type === 'duplicate') return;
    const base = { index, t: e.t, type: e.type, message: null, dropAt: null, units: [] as string[], nodes: [] as string[] };
    if (e.type === 'deliver' || e.type === 'drop') {
      const m = ix.messages.get(e.msg) ?? null;
      const covers = [index];
      const ops: string[] = [];
      const units: string[] = [];
      for (let j = index + 1; e.type === 'deliver' && j < ev.length; j++) {
        const x = ev[j];
        if (x.type !== 'domain' || ix.requestOf(j) !== m || m === null) break;
        covers.push(j);
        folded.add(j);
        units.push(...unitsOf(x));
        // The row already names the call: "o14 read = 7", not "o14 read read = 7".
        const op = opText(x);
        if (op !== e.call) ops.push(op.startsWith(`${e.call} `) ? op.slice(e.call.length + 1) : op);
      }
      const who = e.order ? `${e.order} ` : '';
      const sent = m && m.sentMs !== e.t ? ` (sent ${m.sentMs})` : '';
      const dup = m?.duplicate ? ' (dup)' : '';
      const what = `${who}${e.call}${e.reply ? ' reply' : ''}${dup}`;
      if (e.type === 'drop') {
        const dropAt = m && m.sendIndex === index - 1 ? 'send' : 'deliver';
        rows.push({ ...base, covers, kind: 'drop', from: e.from, to: e.to, message: m, dropAt, label: `${what} ✗ ${e.reason}${sent}`, orders: e.order ? [e.order] : [] });
      } else {
        rows.push({ ...base, covers, kind: 'message', from: e.from, to: e.to, message: m, label: `${what}${ops.length ? ` ${ops.join('; ')}` : ''}${sent}`, orders: e.order ? [e.order] : [], units });
      }
      return;
    }
    if (e.type === 'partition' || e.type === 'heal') {
      const label = `${e.type === 'partition' ? 'partition' : 'healed'} ${e.a.join(',')} | ${e.b.join(',')}${e.type === 'partition' && e.direction === 'a-to-b' ? ' (one way)' : ''}`;
      rows.push({ ...base, covers: [index], kind: 'span', from: null, to: null, label, orders: [], nodes: [...e.a, ...e.b] });
      return;
    }
    if (e.type === 'faults-end') {
      rows.push({ ...base, covers: [index], kind: 'span', from: null, to: null, label: 'fault phase ends: network heals', orders: [] });
      return;
    }
    const mark = markText(e);
    if (mark === null) return;
    const order = e.type === 'domain' || e.type === 'timeout' ? e.order : undefined;
    rows.push({ ...base, covers: [index], kind: mark.kind, from: (e as { node: string }).node, to: null, label: mark.label, orders: order ? [order] : [], units: e.type === 'domain' ? unitsOf(e) : [] });
  });
  return rows;
}

/** Node status after each trace index, for drawing lifelines (paused dotted, crashed blank). */
export function nodeStates(ix: TraceIndex): (index: number, node: string) => 'up' | 'paused' | 'crashed' {
  const changes = new Map<string, Array<[number, 'up' | 'paused' | 'crashed']>>();
  ix.events.forEach((e, i) => {
    const s = e.type === 'pause' ? 'paused' : e.type === 'crash' ? 'crashed' : e.type === 'resume' || e.type === 'restart' ? 'up' : null;
    if (s === null) return;
    const node = (e as { node: string }).node;
    changes.set(node, [...(changes.get(node) ?? []), [i, s]]);
  });
  return (index, node) => {
    let s: 'up' | 'paused' | 'crashed' = 'up';
    for (const [i, v] of changes.get(node) ?? []) {
      if (i > index) break;
      s = v;
    }
    return s;
  };
}
