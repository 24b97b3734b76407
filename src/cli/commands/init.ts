import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { colorsFor } from '../../report/colors.js';
import { parseOrHelp } from '../command.js';
import { InputError, EXIT, UsageError } from '../../errors.js';
import type { Io } from '../io.js';
import type { CommandSpec } from '../options.js';
import { str } from '../args.js';

export const INIT_SPEC: CommandSpec = {
  name: 'init',
  summary: 'start testing your own placeOrder: a starter strategy and its property test',
  usage: '[options]',
  description: 'Writes, in the current project: a starter strategy (<dir>/my-strategy.ts, safe under every fault of flash-sale-chaos), a vitest property test that checks it with assertStrategyHolds (<dir>/my-strategy.test.ts: it passes as written; change the strategy and watch it fail), and a .gitignore entry for .oversold/ (where replay files go). Never overwrites a file. Needs vitest in the project (npm install -D vitest).',
  options: [
    { name: 'dir', kind: 'string', value: 'DIR', help: 'where the two files go, relative to the current directory (default "oversold")' },
  ],
  exit: '0 written, 2 a file is already there (nothing written) or bad usage.',
};

export const STARTER_STRATEGY = `/**
 * A starter strategy written by \`npx oversold init\`: replace placeOrder with your own.
 *
 * The idea: let the database decide. One atomic "decrement if there is enough" at the primary
 * for the whole order, so nobody acts on a stock number read earlier (no lost update, no stale
 * replica). The request carries an id, so a retry after a timeout (or a duplicated delivery) is
 * answered with the first outcome instead of taking a second vase. A timeout means *unknown*,
 * not *failed*: it keeps asking (same id) until it knows. node_modules/oversold/docs/
 * writing-a-strategy.md walks through it line by line.
 */
import { defineStrategy, type OrderContext, type OrderAnswer, type Proc } from 'oversold';

export default defineStrategy({
  name: 'my-strategy',
  summary: 'atomic decrement-if-enough with a request id, retried until the outcome is known',
  safe: true,

  *placeOrder(ctx: OrderContext): Proc<OrderAnswer> {
    const requestId = ctx.newId('decrement');
    const lines = ctx.order.lines.map((l) => ({ item: l.item, qty: l.qty }));
    for (let attempt = 0; ; attempt++) {
      const r = yield* ctx.db.decrement(lines, { requestId });
      if (r.ok) return r.value.ok ? 'ORDER_PLACED' : 'OUT_OF_STOCK';
      // r.error === 'timeout': it may or may not have been applied. Ask again, same id.
      yield* ctx.sleep(ctx.options.backoffMs * 2 ** Math.min(attempt, 3));
    }
  },
});
`;

export const STARTER_TEST = `// Written by \`npx oversold init\`. Run it: npx vitest run
import { describe, it } from 'vitest';
import { assertStrategyHolds } from 'oversold';
import myStrategy from './my-strategy.js';

describe('my placeOrder under every Chapter 8 fault', () => {
  it('never breaks an invariant on flash-sale-chaos', () => {
    // On failure this throws the shrunk counterexample in words, the anomaly explained, and
    // the commands that replay it (a replay file under .oversold/replays/).
    assertStrategyHolds('flash-sale-chaos', myStrategy, { strategyRef: new URL('./my-strategy.ts', import.meta.url) });
  });
});
`;

export async function initCommand(argv: readonly string[], io: Io): Promise<number> {
  const parsed = parseOrHelp(INIT_SPEC, argv, io);
  if (parsed === null) return EXIT.ok;
  if (parsed.positionals.length > 0) throw new UsageError(`init takes no arguments, got ${JSON.stringify(parsed.positionals[0])} (--dir DIR says where)`);
  const dir = resolve(io.cwd, str(parsed.values, 'dir') ?? 'oversold');
  const files = [
    { file: join(dir, 'my-strategy.ts'), text: STARTER_STRATEGY },
    { file: join(dir, 'my-strategy.test.ts'), text: STARTER_TEST },
  ];
  const shown = (f: string) => relative(io.cwd, f).split(sep).join('/') || f;
  const there = files.filter((f) => existsSync(f.file));
  if (there.length > 0) throw new InputError(`${there.map((f) => shown(f.file)).join(' and ')} already exist${there.length === 1 ? 's' : ''}: nothing written (init never overwrites; --dir DIR writes elsewhere)`, 'EXISTS');
  try {
    mkdirSync(dir, { recursive: true });
    for (const f of files) writeFileSync(f.file, f.text, { flag: 'wx' });
  } catch (e) {
    throw new InputError(`cannot write in ${shown(dir)} (${(e as { code?: string }).code ?? String(e)})`, 'CANNOT_WRITE');
  }
  const ignored = addGitignore(join(io.cwd, '.gitignore'));
  const c = colorsFor({ isTTY: io.stdoutIsTTY }, io.env);
  for (const f of files) io.out(`wrote    ${shown(f.file)}`);
  io.out(ignored ? 'added    .oversold/ to .gitignore (replay files go there)' : 'kept     .gitignore (it already ignores .oversold/)');
  io.out(`test     ${c.cyan(`npx vitest run ${shown(dir)}`)}`);
  io.out(`check    ${c.cyan(`npx oversold check flash-sale-chaos --strategy ./${shown(files[0].file)}`)}`);
  return EXIT.ok;
}

/** Appends `.oversold/` to the project's .gitignore unless a line already ignores it; true if added. */
function addGitignore(file: string): boolean {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  if (text.split(/\r?\n/).some((l) => /^\/?\.oversold\/?\s*$/.test(l.trim()))) return false;
  writeFileSync(file, `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}# oversold's replay files (npx oversold replay FILE)\n.oversold/\n`);
  return true;
}
