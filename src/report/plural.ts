/** "1 run", "2 runs", "1 property run": counts in messages people read. */
export function plural(n: number, one: string, many: string = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * The verb that agrees with a count: `${plural(n, 'answer')} that ${agreeing(n, 'matters', 'matter')}`.
 * Why a function: a verb written once in the plural read "1 answer that matter".
 */
export function agreeing(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}
