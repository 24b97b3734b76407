import { xoroshiro128plus, xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

/**
 * The generator of stream i of a seed: pure-rand's xoroshiro128plus(seed) jumped i + 1 times,
 * the same state, without the jumps. A jump is 128 steps of the generator, and every run
 * jumped once per stream it asked (0.8 % of a flash-sale-chaos run; docs/benchmarks.md, round 6).
 *
 * Why it is the same: xoroshiro's step and its jump only shift and xor the state, so a jump is a
 * linear map J over the 128 state bits (xor as addition). xoroshiro128plus(seed) is the state
 * (-1, ~seed, seed, 0) in getState() order = C xor S(seed), with C = (-1, -1, 0, 0) and
 * S(seed) = (0, seed, seed, 0), linear in the seed's 32 bits. So J^k(state) is J^k(C) xor, for
 * every bit b set in the seed, J^k(S(1 << b)): 33 states per k, computed once by jumping.
 * A test pins the states against pure-rand's own jumps.
 */
const JUMPS_MAX = 8;
/** Per jump count k (1..JUMPS_MAX): 33 states of 4 words: J^k(C), then J^k(S(1 << b)) for b = 0..31. */
const TABLES: (Int32Array | undefined)[] = [];

function tableFor(k: number): Int32Array {
  let t = TABLES[k];
  if (t !== undefined) return t;
  t = new Int32Array(33 * 4);
  const put = (row: number, state: readonly number[]) => {
    for (let w = 0; w < 4; w++) t![row * 4 + w] = state[w];
  };
  // C and S(1 << b) as generators: C is xoroshiro128plus(0) minus S(0) = (-1, -1, 0, 0).
  const jumped = (state: number[]) => {
    const g = xoroshiro128plusFromState(state);
    for (let i = 0; i < k; i++) g.jump();
    return g.getState();
  };
  put(0, jumped([-1, -1, 0, 0]));
  for (let b = 0; b < 32; b++) put(b + 1, jumped([0, 1 << b, 1 << b, 0]));
  TABLES[k] = t;
  return t;
}

/** xoroshiro128plus(seed | 0) jumped `jumps` times (a new generator). */
export function jumpedGenerator(seed: number, jumps: number): RandomGenerator {
  if (!(Number.isInteger(jumps) && jumps >= 1 && jumps <= JUMPS_MAX)) {
    const g = xoroshiro128plus(seed | 0);
    for (let i = 0; i < jumps; i++) g.jump();
    return g;
  }
  const t = tableFor(jumps);
  let s0 = t[0];
  let s1 = t[1];
  let s2 = t[2];
  let s3 = t[3];
  for (let bits = seed | 0, b = 0; bits !== 0; bits >>>= 1, b++) {
    if ((bits & 1) === 0) continue;
    const r = (b + 1) * 4;
    s0 ^= t[r];
    s1 ^= t[r + 1];
    s2 ^= t[r + 2];
    s3 ^= t[r + 3];
  }
  return xoroshiro128plusFromState([s0, s1, s2, s3]);
}
