/**
 * The one place where a choice's label is made: from its kind and its subject. Labels are for
 * people (explanations, `why`, `check`'s report, replay listings); nothing reads them back.
 * Tools key on (kind, subject); a test replaces this function with random strings and checks
 * that `why`, `export` and the explanations give the same structured results.
 */
import type { ChoiceKind } from './choice.js';
import type { EventSubject, MessageSubject, Subject } from './subjects.js';

export type LabelFunction = (kind: ChoiceKind, subject: Subject) => string;

let current: LabelFunction = defaultLabel;

/** The label of a choice of `kind` about `subject`. */
export function labelOf(kind: ChoiceKind, subject: Subject): string {
  return current(kind, subject);
}

/** Test-only: replaces the label function (null restores the default). */
export function setLabelFunction(fn: LabelFunction | null): void {
  current = fn ?? defaultLabel;
}

/** e.g. "o7's confirm reply (attempt 2) db->app1". */
function messageText(m: MessageSubject): string {
  const extra: string[] = [];
  if (m.attempt > 1) extra.push(`attempt ${m.attempt}`);
  if (m.copy > 0) extra.push(m.reply ? 'to the duplicate' : 'duplicate');
  return `${m.process}'s ${m.call}${m.reply ? ' reply' : ''}${extra.length > 0 ? ` (${extra.join(', ')})` : ''} ${m.from}->${m.to}`;
}

/** A subject in words, e.g. "replica1 applies log entry 3". */
export function subjectText(s: Subject): string {
  switch (s.type) {
    case 'message':
      return messageText(s);
    case 'call':
      return `${s.process}'s ${s.call}${s.attempt > 1 ? ` (attempt ${s.attempt})` : ''}`;
    case 'node':
      return s.node;
    case 'order':
      return s.order;
    case 'log-entry':
      return `${s.replica} applies log entry ${s.entry}`;
    case 'process':
      return s.serving ? `${s.process} serving ${messageText(s.serving)}, sleep ${s.sleep}` : `${s.process} on ${s.node}, sleep ${s.sleep}`;
    case 'step':
      return `fault step ${s.step} (${s.kind})`;
    case 'crash':
      return `${s.node} (crashed on delivery of ${messageText(s.on)})`;
    case 'tick':
      return `${s.node} tick ${s.tick}`;
    case 'timer':
      return `${s.node}'s ${s.timer} timer for ${s.serving ? messageText(s.serving) : s.session}`;
    case 'global':
      return s.what;
    case 'schedule':
      return `${s.candidates.length} ready: ${s.candidates.map(eventText).join(' | ')}`;
    case 'none':
      return '';
  }
}

/** A queued event in words, e.g. "deliver o7's confirm db->app1". */
export function eventText(e: EventSubject): string {
  const what = subjectText(e.subject);
  return what === '' ? e.kind : `${e.kind} ${what}`;
}

function defaultLabel(kind: ChoiceKind, subject: Subject): string {
  if (kind === 'clock-read') return `${subjectText(subject)}'s clock`;
  if (kind === 'pause' && subject.type === 'message') return `${subject.to} on delivery of ${messageText(subject)}`;
  if (kind === 'crash' && subject.type === 'message') return `${subject.to} on delivery of ${messageText(subject)}`;
  return subjectText(subject);
}
