import { wrap } from '../report/wrap.js';
import { allOptions, optionLabel, type CommandSpec } from './options.js';

/** Past this, a flag's label gets a line of its own and the description starts below it. */
const LABEL_COLUMNS_MAX = 26;

/** `oversold <command> --help`, generated from the command's option table, `width` columns wide. */
export function renderHelp(spec: CommandSpec, width: number): string {
  const out: string[] = [`oversold ${spec.name} ${spec.usage}`, ''];
  out.push(...paragraphs(spec.description, width), '');
  const options = allOptions(spec);
  const labels = options.map(optionLabel);
  const col = Math.min(LABEL_COLUMNS_MAX, Math.max(...labels.map((l) => l.length)) + 4);
  out.push('options:');
  options.forEach((o, i) => {
    const label = `  ${labels[i]}`;
    const text = wrap(o.help, width, col, col);
    if (label.length + 2 > col) out.push(label, ' '.repeat(col) + text[0], ...text.slice(1));
    else out.push(label.padEnd(col) + text[0], ...text.slice(1));
  });
  if (spec.notes) out.push('', ...paragraphs(spec.notes, width));
  out.push('', ...wrap(`Exit: ${spec.exit}`, width, 0, 0));
  return out.join('\n');
}

/** Wraps each paragraph; a paragraph whose lines start with spaces (an example) is kept as is. */
export function paragraphs(text: string, width: number): string[] {
  const out: string[] = [];
  text.split(/\n\s*\n/).forEach((p, i) => {
    if (i > 0) out.push('');
    if (/^ {2}/.test(p)) out.push(...p.split('\n'));
    else out.push(...wrap(p, width, 0, 0));
  });
  return out;
}
