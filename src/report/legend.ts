import { esc } from './escape.js';

/**
 * The report's legends: one entry per colour, line and mark that a picture drew (each drawn
 * element names its entries in `data-key`; the browser test checks that every one is here).
 * A swatch is drawn with the same classes as the real thing, so it follows the colour scheme.
 */
const LINE = 'x1="2" y1="7" x2="26" y2="7"';
const SLANT = 'x1="2" y1="2" x2="26" y2="12"';
const BAND = (cls: string) => `<rect class="${cls}" x="8" y="0" width="12" height="14"/>`;
const OP = (cls: string) => `<g class="op ${cls}"><rect x="9" y="1" width="10" height="12" rx="2"/></g>`;

const ENTRIES: Record<string, { swatch: string; words: string }> = {
  lifeline: { swatch: `<g class="lifeline"><line x1="14" y1="0" x2="14" y2="14"/></g>`, words: 'a node; its time runs down the line' },
  message: { swatch: `<g class="msg"><line ${SLANT}/></g>`, words: 'a message, from when it left to when it landed' },
  viol: { swatch: `<g class="msg viol"><line ${SLANT}/></g>`, words: 'an order named in a violation, not explained above' },
  dropped: { swatch: `<g class="msg dropped"><line x1="2" y1="2" x2="20" y2="10"/><path class="x" d="M18,6l8,8m0,-8l-8,8"/></g>`, words: 'a dropped message; ✗ where it was lost' },
  'ev-order': { swatch: `<g class="ev order"><circle cx="14" cy="7" r="5"/></g>`, words: 'an order arrives, or is answered' },
  'ev-op': { swatch: `<g class="ev op"><rect x="10" y="3" width="8" height="8" transform="rotate(45 14 7)"/></g>`, words: 'what a server did (database, lock service, payment)' },
  'ev-note': { swatch: `<g class="ev note"><circle cx="14" cy="7" r="4"/></g>`, words: 'another event at a node (a late reply ignored, a note)' },
  fault: { swatch: `<g class="ev fault"><circle cx="14" cy="7" r="4"/></g>`, words: 'a fault begins or ends (pause, crash, clock)' },
  error: { swatch: `<g class="ev error"><circle cx="14" cy="7" r="4"/></g>`, words: 'a timeout, or the strategy failed' },
  paused: { swatch: BAND('paused'), words: 'a paused node (GC or VM pause): it handles nothing' },
  crashed: { swatch: BAND('crashed'), words: 'a crashed node' },
  partition: { swatch: BAND('partition'), words: 'a partition: the shaded lifelines are cut off as its label says (a | b both ways, a -> b one way)' },
  firstbad: { swatch: `<g class="firstbad"><line ${LINE}/></g>`, words: 'the first bad event: where a violated invariant first became false' },
  'op-placed': { swatch: OP('op-placed'), words: 'an order from arrival to answer: ORDER_PLACED' },
  'op-out-of-stock': { swatch: OP('op-out-of-stock'), words: 'answered OUT_OF_STOCK' },
  'op-failed': { swatch: OP('op-failed'), words: 'answered FAILED' },
  'op-unanswered': { swatch: OP('op-unanswered open'), words: 'no answer: the customer never heard back (the bar runs to the end)' },
  available: { swatch: `<path class="series available" d="M2,10H14V4H26"/>`, words: 'available: the counter strategies read and write' },
  reserved: { swatch: `<path class="series reserved" d="M2,10H14V4H26"/>`, words: 'units held by reservations' },
  sold: { swatch: `<path class="series sold" d="M2,10H14V4H26"/>`, words: 'units sold (each unit once)' },
  claimed: { swatch: `<path class="series claimed" d="M2,10H14V4H26"/>`, words: 'units promised, counting each double sale' },
  initial: { swatch: `<line class="initial" ${LINE}/>`, words: 'the initial stock' },
  badline: { swatch: `<g class="badline"><line x1="14" y1="0" x2="14" y2="14"/></g>`, words: 'the first bad event' },
  dot: { swatch: `<circle class="dot" cx="14" cy="7" r="3"/>`, words: 'a change of the counter (hover for the numbers)' },
};

const FOCUS_ORDINAL = ['first', 'second', 'third and later'];

/** The words and swatch of a legend key; focus keys name their orders. */
function entry(key: string, focus: readonly string[]): { swatch: string; words: string } | null {
  const m = /^focus([0-2])$/.exec(key);
  if (m) {
    const k = Number(m[1]);
    const names = k < 2 ? focus.slice(k, k + 1) : focus.slice(2);
    return { swatch: `<g class="msg focus${k}"><line ${SLANT}/></g>`, words: `${names.join(', ')}: the ${FOCUS_ORDINAL[k]} order explained above (its messages, marks and bar)` };
  }
  return ENTRIES[key] ?? null;
}

/** A legend listing every key drawn, in the order given by `order` (unknown keys last). */
export function legendHtml(keys: ReadonlySet<string>, focus: readonly string[], label: string): string {
  const known = ['focus0', 'focus1', 'focus2', ...Object.keys(ENTRIES)];
  const sorted = [...keys].sort((a, b) => rank(known, a) - rank(known, b));
  const items = sorted.map((k) => {
    const e = entry(k, focus);
    if (e === null) throw new Error(`legend: no entry for ${k}`);
    return `<li data-legend="${esc(k)}"><svg width="28" height="14" viewBox="0 0 28 14" aria-hidden="true">${e.swatch}</svg>${esc(e.words)}</li>`;
  });
  return `<ul class="legend" aria-label="${esc(label)}">${items.join('')}</ul>`;
}

function rank(known: readonly string[], key: string): number {
  const i = known.indexOf(key);
  return i < 0 ? known.length : i;
}
