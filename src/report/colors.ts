import pc from 'picocolors';

export type Colors = ReturnType<typeof pc.createColors>;

/** Colours only for a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function colorsFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Colors {
  const enabled = !!stream.isTTY && !('NO_COLOR' in env) && env.TERM !== 'dumb';
  return pc.createColors(enabled || 'FORCE_COLOR' in env);
}

export const plain: Colors = pc.createColors(false);
