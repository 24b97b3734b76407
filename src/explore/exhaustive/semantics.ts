/**
 * The time semantics `explore` proves things under (docs/exploration.md, "explore"):
 * - 'timed' (the default): local time over zones (localTime.ts): every event inside its window
 *   relative to the event that created it, timers exact, each node's events in time order;
 * - 'untimed-causal': windows bound only from below, a timeout fires whenever its rpc is
 *   unanswered unless a reply must arrive first (the first semantics; kept to compare).
 */
export type Semantics = 'timed' | 'untimed-causal';

export const SEMANTICS_NAMES: readonly Semantics[] = ['timed', 'untimed-causal'];

export const DEFAULT_SEMANTICS: Semantics = 'timed';

export const SEMANTICS_TEXTS: Readonly<Record<Semantics, string>> = {
  timed:
    'every order of events in which each event can take a time inside its window relative to the event that created it ' +
    '(a message within its link\'s delay window of its send, a timer, sleep, tick or timeout exactly its length after it was set, ' +
    'a random pause ending anywhere in the scenario\'s pause lengths), each node\'s events in time order, FIFO links and log order kept, ' +
    'no event after the scenario\'s time limit (local time: no order is imposed between the clocks of different nodes beyond these)',
  'untimed-causal':
    'any order of events that causality, FIFO links and each replica\'s log order allow (windows bound only from below); ' +
    'a timeout fires whenever its rpc is unanswered, unless a reply already sent must arrive first within the windows; ' +
    'no event fires whose earliest possible time is past the scenario\'s time limit',
};

/** `--semantics timed|untimed-causal` ('untimed' is accepted for the latter); null: not a semantics. */
export function parseSemantics(s: string): Semantics | null {
  if (s === 'timed') return 'timed';
  if (s === 'untimed' || s === 'untimed-causal') return 'untimed-causal';
  return null;
}
