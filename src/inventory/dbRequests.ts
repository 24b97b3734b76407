import type { OrderLine } from './types.js';
import { mapPacked } from '../sim/packed.js';

/**
 * Decoding of the primary's requests: a body from the wire (anything a strategy sent) becomes
 * one typed request, or a bad-request answer naming the first problem. Nothing here reads or
 * changes state beyond which items exist, so a bad request never has an effect.
 *
 * The multi-item forms travel under the call names of their single-item forms (`cas` and
 * `fenced-write` with `writes` instead of `item`): the call name is what traces, fault steps
 * (`"call": "cas"`) and request-id deduplication see, so it stays; only the decoded kind
 * (`cas-many`, `fenced-write-many`) tells them apart.
 */

export type BadRequest = { ok: false; reason: 'bad-request'; message: string };

/** The order a request is for, when it names one (the clients always do). */
type ForOrder = { readonly order: string | undefined };

export type ReadRequest = ForOrder & { readonly kind: 'read'; readonly item: string; readonly token: number | undefined };
export type WriteRequest = { readonly kind: 'write'; readonly item: string; readonly stock: number; readonly qty: number; readonly order: string };
export type DecrementRequest = ForOrder & { readonly kind: 'decrement'; readonly lines: OrderLine[] };
export type CasRequest = ForOrder & { readonly kind: 'cas'; readonly item: string; readonly expectedVersion: number; readonly stock: number; readonly qty: number };
export interface CasWriteRequest { readonly item: string; readonly expectedVersion: number; readonly stock: number; readonly qty: number }
export type CasManyRequest = ForOrder & { readonly kind: 'cas-many'; readonly writes: readonly CasWriteRequest[] };
export type ReserveRequest = ForOrder & {
  readonly kind: 'reserve';
  readonly lines: OrderLine[];
  readonly reservationId: string;
  readonly app: string;
  /** Leased in the primary's sequence number (the right design), or until a client's clock says so (the wrong one). */
  readonly lease: { readonly ticks: number } | { readonly clientNowMs: number; readonly clientDeadlineMs: number };
};
export type ConfirmRequest = {
  readonly kind: 'confirm';
  readonly reservationId: string;
  /** The fencing token the caller holds; anything but the reservation's own is stale. */
  readonly token: number | undefined;
  readonly unfenced: boolean;
};
export type ReleaseRequest = { readonly kind: 'release'; readonly reservationId: string };
export type FencedWriteRequest = ForOrder & { readonly kind: 'fenced-write'; readonly item: string; readonly stock: number; readonly qty: number; readonly token: number };
export interface FencedWriteItem { readonly item: string; readonly stock: number; readonly qty: number; readonly token: number }
export type FencedWriteManyRequest = ForOrder & { readonly kind: 'fenced-write-many'; readonly writes: readonly FencedWriteItem[] };
export type ReservationsRequest = { readonly kind: 'reservations'; readonly app: string | undefined };

export type DbRequest =
  | ReadRequest | WriteRequest | DecrementRequest | CasRequest | CasManyRequest | ReserveRequest
  | ConfirmRequest | ReleaseRequest | FencedWriteRequest | FencedWriteManyRequest | ReservationsRequest;

type Body = Readonly<Record<string, unknown>>;

/** Decodes one request; `items` says which items exist. */
export function decodeRequest(call: string, body: Body, items: ReadonlyMap<string, unknown>): DbRequest | BadRequest {
  const order = optionalString(body.order);
  switch (call) {
    case 'read': {
      if (!isKnown(body.item, items)) return bad(`read: unknown item ${JSON.stringify(body.item)}`);
      if (body.token !== undefined && !isInt(body.token)) return bad('read: token must be an integer');
      return { kind: 'read', item: body.item, token: body.token, order };
    }
    case 'write': {
      if (!isKnown(body.item, items)) return bad(`write: unknown item ${JSON.stringify(body.item)}`);
      const n = ints(body, ['stock', 'qty']);
      if (!n || typeof body.order !== 'string') return bad('write: needs integer stock and qty, and an order');
      return { kind: 'write', item: body.item, ...n, order: body.order };
    }
    case 'decrement': {
      const lines = decodeLines(body.lines, 'decrement', items);
      return Array.isArray(lines) ? { kind: 'decrement', lines, order } : lines;
    }
    case 'cas':
      return decodeCounterWrite(body, call, items, CAS_FIELDS, 'cas', 'cas-many', order);
    case 'reserve':
      return decodeReserve(body, order, items);
    case 'confirm':
      return { kind: 'confirm', reservationId: String(body.reservationId), token: isNumber(body.token) ? body.token : undefined, unfenced: body.unfenced === true };
    case 'release':
      return { kind: 'release', reservationId: String(body.reservationId) };
    case 'fenced-write':
      return decodeCounterWrite(body, call, items, FENCED_FIELDS, 'fenced-write', 'fenced-write-many', order);
    case 'reservations':
      return { kind: 'reservations', app: optionalString(body.app) };
    default:
      return bad(`unknown call ${JSON.stringify(call)}`);
  }
}

function decodeReserve(body: Body, order: string | undefined, items: ReadonlyMap<string, unknown>): ReserveRequest | BadRequest {
  const lines = decodeLines(body.lines, 'reserve', items);
  if (!Array.isArray(lines)) return lines;
  const { reservationId, leaseTicks, clientNowMs, clientDeadlineMs } = body;
  const app = String(body.app ?? '');
  if (clientDeadlineMs !== undefined) {
    if (typeof reservationId !== 'string' || !isInt(clientDeadlineMs) || !isInt(clientNowMs)) {
      return bad('reserve: a wall-clock reservation needs a reservationId and integer clientDeadlineMs and clientNowMs');
    }
    return { kind: 'reserve', lines, reservationId, app, order, lease: { clientNowMs, clientDeadlineMs } };
  }
  if (typeof reservationId !== 'string' || !isInt(leaseTicks) || leaseTicks < 1) return bad('reserve: needs a reservationId and leaseTicks >= 1');
  return { kind: 'reserve', lines, reservationId, app, order, lease: { ticks: leaseTicks } };
}

function copyLine(l: { readonly item: string; readonly qty: number }): OrderLine {
  return { item: l.item, qty: l.qty };
}

function decodeLines(lines: unknown, call: string, items: ReadonlyMap<string, unknown>): OrderLine[] | BadRequest {
  if (!Array.isArray(lines) || lines.length === 0) return bad(`${call}: lines must be a non-empty array`);
  for (const l of lines as readonly unknown[]) {
    const x = asBody(l);
    if (!x || !isKnown(x.item, items)) return bad(`${call}: unknown item ${JSON.stringify(x?.item)}`);
    if (!isInt(x.qty) || x.qty < 1) return bad(`${call}: qty must be a positive integer`);
  }
  // Checked first, copied after at the exact size: a fresh [] that is pushed to reserves 17 slots.
  return mapPacked(lines as ReadonlyArray<{ readonly item: string; readonly qty: number }>, copyLine);
}

/**
 * A cas or a fenced write: one item (`item` and the integer `fields`), or several (`writes`,
 * each with the same fields), decoded as the kind `one` or `many`.
 */
function decodeCounterWrite<K extends string, One extends string, Many extends string>(
  body: Body, call: string, items: ReadonlyMap<string, unknown>, fields: readonly K[], one: One, many: Many, order: string | undefined,
): ({ readonly kind: One; readonly order: string | undefined; readonly item: string } & { readonly [F in K]: number })
  | { readonly kind: Many; readonly order: string | undefined; readonly writes: Array<{ readonly item: string } & { readonly [F in K]: number }> }
  | BadRequest {
  const what = `integer ${fields.slice(0, -1).join(', ')} and ${fields[fields.length - 1]}`;
  if (Array.isArray(body.writes)) {
    const writes = decodeWrites(body.writes, call, items, fields, `${call}: every write needs ${what}`);
    return Array.isArray(writes) ? { kind: many, writes, order } : writes;
  }
  if (!isKnown(body.item, items)) return bad(`${call}: unknown item ${JSON.stringify(body.item)}`);
  const n = ints(body, fields);
  return n ? { kind: one, order, item: body.item, ...n } : bad(`${call}: needs ${what}`);
}

const CAS_FIELDS = ['expectedVersion', 'stock', 'qty'] as const;
const FENCED_FIELDS = ['token', 'stock', 'qty'] as const;

/**
 * The `writes` of a multi-item cas or fenced write: known, distinct items first (for every
 * write), then each write's integer `fields` (one `message` for any that is missing).
 */
function decodeWrites<K extends string>(
  writes: readonly unknown[], call: string, items: ReadonlyMap<string, unknown>, fields: readonly K[], message: string,
): Array<{ readonly item: string } & { readonly [F in K]: number }> | BadRequest {
  if (writes.length === 0) return bad(`${call}: writes must be a non-empty array`);
  const seen = new Set<string>();
  const found: Array<{ item: string; body: Body }> = [];
  for (const w of writes) {
    const x = asBody(w);
    if (!x || !isKnown(x.item, items)) return bad(`${call}: unknown item ${JSON.stringify(x?.item)}`);
    if (seen.has(x.item)) return bad(`${call}: item ${JSON.stringify(x.item)} appears twice in writes`);
    seen.add(x.item);
    found.push({ item: x.item, body: x });
  }
  const out: Array<{ readonly item: string } & { readonly [F in K]: number }> = [];
  for (const w of found) {
    const n = ints(w.body, fields);
    if (!n) return bad(message);
    out.push({ item: w.item, ...n });
  }
  return out;
}

/** The named fields of a body, when every one is an integer. */
function ints<K extends string>(body: Body, fields: readonly K[]): { readonly [F in K]: number } | undefined {
  const out: Partial<Record<K, number>> = {};
  for (const f of fields) {
    const v = body[f];
    if (!isInt(v)) return undefined;
    out[f] = v;
  }
  return out as Record<K, number>;
}

export function bad(message: string): BadRequest {
  return { ok: false, reason: 'bad-request', message };
}

/** A JSON object's fields, or undefined for anything else (null, a number, ...). */
function asBody(x: unknown): Body | undefined {
  return typeof x === 'object' && x !== null ? (x as Body) : undefined;
}

function isKnown(item: unknown, items: ReadonlyMap<string, unknown>): item is string {
  return typeof item === 'string' && items.has(item);
}

function optionalString(x: unknown): string | undefined {
  return typeof x === 'string' ? x : undefined;
}

function isNumber(x: unknown): x is number {
  return typeof x === 'number';
}

export function isInt(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x);
}
