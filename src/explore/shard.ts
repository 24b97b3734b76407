import { InputError } from '../errors.js';

/** `--shard i/n`: the i-th (1-based) of n deterministic slices of a seed range. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Parses "2/5"; bad text is an InputError naming the expected form. */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new InputError(`--shard takes i/n (e.g. --shard 2/4), got ${JSON.stringify(text)}`, 'BAD_SHARD');
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || count > 100_000) throw new InputError(`--shard i/n: n must be between 1 and 100000, got ${count}`, 'BAD_SHARD');
  if (index < 1 || index > count) throw new InputError(`--shard i/n: i must be between 1 and ${count}, got ${index}`, 'BAD_SHARD');
  return { index, count };
}

/**
 * Contiguous blocks: shard i of n runs seeds [start + floor((i-1)·N/n), start + floor(i·N/n)).
 * The n blocks are disjoint, cover the range exactly, and differ in size by at most one seed.
 * Contiguous (rather than every n-th seed) keeps each shard's result one seed range, so a
 * merge can check coverage by comparing ranges.
 */
export function shardRange(start: number, count: number, shard: Shard): { start: number; count: number } {
  const lo = Math.floor(((shard.index - 1) * count) / shard.count);
  const hi = Math.floor((shard.index * count) / shard.count);
  return { start: start + lo, count: hi - lo };
}
