import type { ExportResult } from '../explore/minimise/export.js';
import type { Colors } from './colors.js';
import { plural } from './plural.js';

/**
 * `export` in words: what was written, the fault steps kept, whether running the file breaks
 * the same invariant, what had no step, and the command that runs it.
 */
export function formatExport(e: ExportResult, file: string, out: string, c: Colors): string {
  const lines: string[] = [];
  lines.push(`${c.bold('EXPORT')}  ${file} breaks ${c.bold(e.target.join(', '))}`);
  lines.push(`wrote    ${out}: the orders at their recorded times, no random faults, delays at their minimum, and ${e.steps.length === 0 ? 'no fault steps (timing alone breaks it)' : `${e.steps.length} fault step${e.steps.length === 1 ? '' : 's'}:`}`);
  for (const s of e.steps) lines.push(`  ${c.yellow('•')} ${s}`);
  if (e.reproduces) {
    lines.push(`${c.green('✓')} verified: oversold run ${out} breaks ${e.breaks.join(', ')}`);
  } else {
    lines.push(c.yellow(`NOT reproduced: ${out} ${e.breaks.length === 0 ? 'breaks nothing' : `breaks only ${e.breaks.join(', ')}`}. The race needs timings no fault step can express; keep the replay file as the regression test (oversold replay ${file}).`));
  }
  if (e.unexpressed.length > 0) {
    lines.push(`left out ${e.unexpressed.length} timing${e.unexpressed.length === 1 ? '' : 's'} or faults with no step, e.g. ${e.unexpressed[0].fault}: ${e.unexpressed[0].why}`);
  }
  lines.push(`run      ${c.cyan(`npx oversold run ${out}`)}  (${plural(e.runs, 'simulation')} spent)`);
  return lines.join('\n');
}
