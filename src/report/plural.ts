/** "1 run", "2 runs", "1 property run": counts in messages people read. */
export function plural(n: number, one: string, many: string = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
