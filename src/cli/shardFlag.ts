import { parseShard, type Shard } from '../explore/shard.js';
import { str, type Values } from './args.js';
import { UsageError } from '../errors.js';

/**
 * `--shard auto`: the engines users already run say which shard a job is, so the same command
 * line serves every job. The index comes from OVERSOLD_SHARD_INDEX (1-based: a GitHub Actions
 * matrix sets it from its entry) or, failing that, JOB_COMPLETION_INDEX (0-based: Kubernetes
 * sets it in every pod of an Indexed Job). The count comes from --shards N or
 * OVERSOLD_SHARD_COUNT (the workflow or the manifest sets it once, beside the matrix or
 * `completions`).
 */
export const SHARD_INDEX_ENV = 'OVERSOLD_SHARD_INDEX';
export const SHARD_COUNT_ENV = 'OVERSOLD_SHARD_COUNT';
export const K8S_INDEX_ENV = 'JOB_COMPLETION_INDEX';

export function shardOf(values: Values, env: Readonly<Record<string, string | undefined>>): Shard | null {
  const text = str(values, 'shard');
  const shards = typeof values.shards === 'number' ? values.shards : undefined;
  if (text === undefined) {
    if (shards !== undefined) throw new UsageError('--shards N goes with --shard auto (or give --shard i/n)');
    return null;
  }
  if (text !== 'auto') {
    if (shards !== undefined) throw new UsageError(`--shards N goes with --shard auto; --shard ${text} already says how many`);
    return parseShard(text);
  }
  const count = shards ?? envInt(env, SHARD_COUNT_ENV);
  if (count === undefined) throw new UsageError(`--shard auto needs the number of shards: --shards N, or $${SHARD_COUNT_ENV}`);
  let index = envInt(env, SHARD_INDEX_ENV);
  if (index === undefined) {
    const k8s = envInt(env, K8S_INDEX_ENV);
    if (k8s === undefined) throw new UsageError(`--shard auto needs this job's shard: $${SHARD_INDEX_ENV} (1-based, e.g. from a CI matrix) or $${K8S_INDEX_ENV} (0-based, set by a Kubernetes Indexed Job); neither is set`);
    index = k8s + 1;
  }
  return parseShard(`${index}/${count}`);
}

function envInt(env: Readonly<Record<string, string | undefined>>, name: string): number | undefined {
  const v = env[name];
  if (v === undefined || v.trim() === '') return undefined;
  if (!/^\s*\d+\s*$/.test(v)) throw new UsageError(`$${name} must be a whole number, got ${JSON.stringify(v)}`);
  return Number(v);
}
