import { zigzag, type Choice } from '../sim/choice.js';

/** A non-zero answered choice, as a counterexample shows it. */
export interface ShownChoice {
  /** Position in the run's list of questions (what a replay file's `choices` index). */
  readonly index: number;
  readonly kind: string;
  readonly label: string;
  readonly value: number;
  /** e.g. "drop-reply: db->app1 decrement reply rpc4 o1". */
  readonly text: string;
}

/** The surprising (non-zero) choices of a run: the faults and timings that made it differ from calm. */
export function surprisingChoices(choices: readonly Choice[]): ShownChoice[] {
  return choices.filter((c) => c.value !== 0).map((c) => ({ index: c.index, kind: c.kind, label: c.label, value: c.value, text: describeChoice(c) }));
}

/** One human line per choice kind; unknown kinds fall back to "kind value: label". */
export function describeChoice(c: Pick<Choice, 'kind' | 'value' | 'label'>): string {
  const at = c.label ? `: ${c.label}` : '';
  switch (c.kind) {
    case 'drop-request':
    case 'drop-reply':
    case 'duplicate':
      return `${c.kind}${at}`;
    case 'decline':
      return `payment declined${at}`;
    case 'pause':
      return `pause ${c.value} ms${at}`;
    case 'delay':
      return `delay +${c.value} ms over the minimum${at}`;
    case 'replica-lag':
      return `replica lag +${c.value} ms over the minimum${at}`;
    case 'payment-delay':
      return `payment delay +${c.value} ms over the minimum${at}`;
    case 'arrival':
      return `arrival at ${c.value} ms${c.label ? `: ${c.label.replace(/ arrival$/, '')}` : ''}`;
    case 'clock-offset':
      return `clock offset ${signed(zigzag(c.value))} ms${at}`;
    case 'clock-drift':
      return `clock drift ${signed(zigzag(c.value))} ppm${at}`;
    case 'replica':
      return `read served by replica ${c.value + 1}${at.replace(/^: replica for read$/, '')}`;
    default:
      return `${c.kind} ${c.value}${at}`;
  }
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}
