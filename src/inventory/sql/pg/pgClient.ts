/**
 * The PostgreSQL client class, from the `pg` package imported when the first connection opens.
 * Every CLI command imports the modules that connect (conformance, replay --postgres), and so
 * does the library's index: importing `pg` up front cost every start of the CLI ~0.15-0.2 s
 * of CPU, twice for a sweep the CLI relaunches (docs/benchmarks.md, "Worker boot"). Only
 * what connects needs it.
 */
export function pgClient(): Promise<typeof import('pg').Client> {
  return import('pg').then((m) => m.default.Client);
}
