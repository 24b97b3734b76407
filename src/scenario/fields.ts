// Shared building blocks of the schema. Every number is an integer with explicit bounds so
// the JSON Schema shows the real range and out-of-range errors can name it.
import { z } from 'zod';
import { LIMITS } from './limits.js';

export function intIn(min: number, max: number) {
  return z.number().int().min(min).max(max);
}

/** A duration, delay or instant in virtual milliseconds. */
export function ms() {
  return intIn(0, LIMITS.msMax);
}

/** A probability in thousandths: 0 never, 1000 always. */
export function perMille() {
  return intIn(0, LIMITS.perMilleMax);
}

// Ids end up inside unit ids (`vase#3`) and trace lines, so keep them plain: no `#`, no spaces.
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
export const ID_RULE = 'a name of letters, digits, ".", "_" or "-" that starts with a letter or digit';

export function itemId() {
  return z.string().min(1).max(LIMITS.idLengthMax).regex(ID_PATTERN, { error: ID_RULE });
}

/** A node name; whether it exists in the topology is checked after parsing (crossChecks.ts). */
export function nodeName() {
  return z.string().min(1).max(LIMITS.idLengthMax).regex(ID_PATTERN, { error: ID_RULE });
}

export function nodeList() {
  return z.array(nodeName()).max(LIMITS.nodeListMax);
}

/** An order id as the simulator names orders: o1, o2, ... */
export const ORDER_ID_PATTERN = /^o[1-9][0-9]*$/;
export const ORDER_ID_RULE = 'an order id: "o" and its number, e.g. "o7"';

/** A process name a fault may address: the recovery of an app server ("recover-app2", "recover-app2#2"). */
export const PROCESS_NAME_PATTERN = /^recover-[A-Za-z0-9][A-Za-z0-9_.-]*(#[0-9]+)?$/;
export const PROCESS_NAME_RULE = 'a process name: "recover-" and an app server ("recover-app2"), then "#2" for its second incarnation';
