/**
 * What oversold needs of a `pg` client and its results, as its own types: the published
 * declarations must not name `pg`'s (a user who never talks to PostgreSQL does not install
 * @types/pg, and the public types must stand alone). A `pg.Client` fits these shapes.
 */
export interface PgClient {
  connect(): Promise<unknown>;
  query(text: string, values?: unknown[]): Promise<PgResult>;
  query(config: { readonly text: string; readonly values?: unknown[] }): Promise<PgResult>;
  end(): Promise<unknown>;
}

/** The part of `pg`'s QueryResult oversold reads. */
export interface PgResult {
  readonly command: string;
  readonly rowCount: number | null;
  // pg's rows are untyped records; the callers read them as rows of the schedule's tables.
  readonly rows: any[];
  readonly fields: readonly { readonly name: string }[];
}
