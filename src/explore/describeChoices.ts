import { zigzag, type Choice, type ChoiceKind } from '../sim/choice.js';
import type { Subject } from '../sim/subjects.js';
import { eventText } from '../sim/labels.js';
import { randomPauseMs } from '../sim/world.js';

/** What a choice's answer means depends on the scenario: the shortest random pause. */
export interface ChoiceContext {
  readonly pauseMsMin: number;
}

export function choiceContextOf(scenario: { readonly faults: { readonly randomPauses?: { readonly durationMsMin: number } | null } }): ChoiceContext {
  return { pauseMsMin: scenario.faults.randomPauses?.durationMsMin ?? 0 };
}

/** A non-zero answered choice, as a counterexample shows it. */
export interface ShownChoice {
  /** Position in the run's list of questions (what a replay file's `answers` index). */
  readonly index: number;
  readonly kind: ChoiceKind;
  /** What it was about, as data (what tools compare). */
  readonly subject: Subject;
  readonly label: string;
  readonly value: number;
  /** e.g. "drop-reply: o1's decrement reply db->app1". */
  readonly text: string;
}

/** The surprising (non-zero) choices of a run: the faults and timings that made it differ from calm. */
export function surprisingChoices(choices: readonly Choice[], ctx?: ChoiceContext): ShownChoice[] {
  return choices.filter((c) => c.value !== 0).map((c) => ({ index: c.index, kind: c.kind, subject: c.subject, label: c.label, value: c.value, text: describeChoice(c, ctx) }));
}

/** One human line per choice kind: what was decided, then the label of what it was about. */
export function describeChoice(c: Pick<Choice, 'kind' | 'value' | 'label' | 'subject'>, ctx?: ChoiceContext): string {
  const at = c.label ? `: ${c.label}` : '';
  switch (c.kind) {
    case 'drop-request':
    case 'drop-reply':
    case 'duplicate':
      return `${c.kind}${at}`;
    case 'decline':
      return `payment declined${at}`;
    case 'crash':
      // Its restart is an event of its own (kind restart, about this crash), placed by the schedule.
      return `crash${at}`;
    case 'pause':
      // What the simulator applied (randomPauseMs), not the raw answer.
      return `pause ${randomPauseMs(c.value, ctx?.pauseMsMin ?? 0)} ms${at}`;
    case 'delay':
      return `delay +${c.value} ms over the minimum${at}`;
    case 'replica-lag':
      return `replica lag +${c.value} ms over the minimum${at}`;
    case 'payment-delay':
      return `payment delay +${c.value} ms over the minimum${at}`;
    case 'arrival':
      return `arrival at ${c.value} ms${at}`;
    case 'clock-offset':
      return `clock offset ${signed(zigzag(c.value))} ms${at}`;
    case 'clock-drift':
      return `clock drift ${signed(zigzag(c.value))} ppm${at}`;
    case 'replica':
      return `read served by replica ${c.value + 1}${at}`;
    case 'reorder':
      return `may overtake earlier messages${at}`;
    case 'clock-read':
      return `clock read ${c.value === 0 ? 'at the earliest' : 'at the latest'} time its causal past allows${at}`;
    case 'schedule': {
      // The pick and what a calm run would have fired instead (the whole ready set is in the subject).
      const cands = c.subject.type === 'schedule' ? c.subject.candidates : [];
      const picked = cands[c.value];
      return picked && cands[0] ? `schedule: ${eventText(picked)} before ${eventText(cands[0])} (${c.value + 1} of ${cands.length} ready)` : `schedule: ready event ${c.value}${at}`;
    }
  }
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}
