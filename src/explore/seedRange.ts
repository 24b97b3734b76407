import { InputError } from '../errors.js';

/**
 * Seeds are unsigned 32-bit integers: the seeded source takes `seed | 0`, so seed 2^32 + k
 * would silently run seed k again, and a failing seed past 2^32 could never be run on its own.
 * Every range of seeds stays inside [0, 2^32).
 */
export const SEED_MAX = 0xffffffff;

/** Throws an InputError unless start..start+count-1 are all valid seeds. */
export function checkSeedRange(start: number, count: number, what = 'the seed range'): void {
  if (!Number.isInteger(start) || start < 0 || start > SEED_MAX) {
    throw new InputError(`${what}: seeds are whole numbers from 0 to ${SEED_MAX} (2^32 - 1), got start ${start}`, 'SEED_RANGE');
  }
  if (!Number.isInteger(count) || count < 0) throw new InputError(`${what}: the number of seeds must be a whole number, got ${count}`, 'SEED_RANGE');
  const last = start + count - 1;
  if (count > 0 && last > SEED_MAX) {
    throw new InputError(`${what}: seeds ${start}..${last} go past ${SEED_MAX} (2^32 - 1), the largest seed; at most ${SEED_MAX - start + 1} seeds start at ${start}`, 'SEED_RANGE');
  }
}
