import pc from 'picocolors';

export type Colors = ReturnType<typeof pc.createColors>;

/**
 * Colours only for a terminal (and not TERM=dumb), with the conventions users set:
 * - `NO_COLOR` set to a non-empty value turns them off (https://no-color.org: an empty
 *   NO_COLOR means nothing);
 * - `FORCE_COLOR` wins over both: `0` or `false` turns them off even on a terminal, any other
 *   value (even empty) turns them on even when piped.
 */
export function colorsFor(stream: { isTTY?: boolean }, env: Readonly<Record<string, string | undefined>> = process.env): Colors {
  return pc.createColors(colorsEnabled(!!stream.isTTY, env));
}

export function colorsEnabled(isTTY: boolean, env: Readonly<Record<string, string | undefined>>): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return isTTY && env.TERM !== 'dumb';
}

export const plain: Colors = pc.createColors(false);
