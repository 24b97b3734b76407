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
