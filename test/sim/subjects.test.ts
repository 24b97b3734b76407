/**
 * Subjects (what a choice or an event is about, as data), their keys (what tools match on) and
 * their words (labels.ts: what people read in `why`, `check` and replay listings).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { callOf, NO_SUBJECT, subjectKey, subjectOf, type MessageSubject, type Subject } from '../../src/sim/subjects.js';
import { eventText, labelOf, setLabelFunction, subjectText } from '../../src/sim/labels.js';
import { eventSubjectOf } from '../../src/sim/eventSubject.js';
import { EventQueue } from '../../src/sim/queue.js';

const msg = (o: Partial<MessageSubject> = {}): MessageSubject => ({
  type: 'message', process: 'o7', call: 'confirm', attempt: 1, reply: false, copy: 0, from: 'app1', to: 'db', ...o,
});

describe('subjects', () => {
  it('subjectOf: nothing is no subject; a subject is itself; a thing that has one is asked', () => {
    expect(subjectOf(undefined)).toBe(NO_SUBJECT);
    const s: Subject = { type: 'node', node: 'db' };
    expect(subjectOf(s)).toBe(s);
    expect(subjectOf({ subject: () => s })).toBe(s);
  });

  it('subjectKey: equal subjects have equal keys whatever the key order; different ones differ', () => {
    const a = msg();
    const b = { to: 'db', from: 'app1', copy: 0, reply: false, attempt: 1, call: 'confirm', process: 'o7', type: 'message' } as const;
    expect(subjectKey(a)).toBe(subjectKey(b));
    expect(subjectKey(a)).toBe('{"attempt":1,"call":"confirm","copy":0,"from":"app1","process":"o7","reply":false,"to":"db","type":"message"}');
    expect(subjectKey(msg({ copy: 1 }))).not.toBe(subjectKey(a));
    // Nested subjects (a process serving a message, a schedule's candidates) are sorted too.
    const p = (serving: MessageSubject | null): Subject => ({ type: 'process', process: 'h', node: 'db', sleep: 1, serving });
    expect(subjectKey(p(a))).toBe(subjectKey(p(b)));
    expect(subjectKey(p(null))).toBe('{"node":"db","process":"h","serving":null,"sleep":1,"type":"process"}');
    const sched = (m: MessageSubject): Subject => ({ type: 'schedule', candidates: [{ kind: 'deliver', owner: 'db', subject: m }] });
    expect(subjectKey(sched(a))).toBe(subjectKey(sched(b)));
    expect(subjectKey(sched(a))).toContain('"candidates":[{"kind":"deliver","owner":"db","subject":{"attempt":1,');
  });

  it('callOf: the call a message belongs to, the same for its request, reply and copies', () => {
    const call = { type: 'call', process: 'o7', call: 'confirm', attempt: 2 };
    expect(callOf(msg({ attempt: 2 }))).toEqual(call);
    expect(callOf(msg({ attempt: 2, reply: true, copy: 1, from: 'db', to: 'app1' }))).toEqual(call);
  });
});

describe('labels: one function makes every choice\'s words', () => {
  afterEach(() => setLabelFunction(null));

  it('a message: its call, reply or request, attempt, which copy, and its link', () => {
    expect(subjectText(msg())).toBe("o7's confirm app1->db");
    expect(subjectText(msg({ reply: true, from: 'db', to: 'app1' }))).toBe("o7's confirm reply db->app1");
    expect(subjectText(msg({ attempt: 2 }))).toBe("o7's confirm (attempt 2) app1->db");
    expect(subjectText(msg({ copy: 1 }))).toBe("o7's confirm (duplicate) app1->db");
    expect(subjectText(msg({ copy: 1, reply: true, attempt: 3 }))).toBe("o7's confirm reply (attempt 3, to the duplicate) app1->db");
  });

  it('every other kind of subject', () => {
    expect(subjectText({ type: 'call', process: 'o7', call: 'charge', attempt: 1 })).toBe("o7's charge");
    expect(subjectText({ type: 'call', process: 'o7', call: 'charge', attempt: 2 })).toBe("o7's charge (attempt 2)");
    expect(subjectText({ type: 'node', node: 'app2' })).toBe('app2');
    expect(subjectText({ type: 'order', order: 'o3' })).toBe('o3');
    expect(subjectText({ type: 'log-entry', replica: 'replica1', entry: 3 })).toBe('replica1 applies log entry 3');
    expect(subjectText({ type: 'process', process: 'o3', node: 'app1', sleep: 2, serving: null })).toBe('o3 on app1, sleep 2');
    expect(subjectText({ type: 'process', process: 'h', node: 'db', sleep: 1, serving: msg() })).toBe("h serving o7's confirm app1->db, sleep 1");
    expect(subjectText({ type: 'step', step: 2, kind: 'crash' })).toBe('fault step 2 (crash)');
    expect(subjectText({ type: 'tick', node: 'db', tick: 4 })).toBe('db tick 4');
    expect(subjectText({ type: 'global', what: 'faults-end' })).toBe('faults-end');
    expect(subjectText(NO_SUBJECT)).toBe('');
    expect(subjectText({ type: 'schedule', candidates: [
      { kind: 'deliver', owner: 'db', subject: msg() },
      { kind: 'faults-end', owner: '', subject: NO_SUBJECT },
    ] })).toBe("2 ready: deliver o7's confirm app1->db | faults-end");
  });

  it('an event: its kind, then its subject when it has one', () => {
    expect(eventText({ kind: 'tick', owner: 'db', subject: { type: 'tick', node: 'db', tick: 1 } })).toBe('tick db tick 1');
    expect(eventText({ kind: 'quiet', owner: '', subject: NO_SUBJECT })).toBe('quiet');
  });

  it('a pause is about the node a delivery pauses; other kinds say their subject', () => {
    const reply = msg({ reply: true, from: 'db', to: 'app1' });
    expect(labelOf('pause', reply)).toBe("app1 on delivery of o7's confirm reply db->app1");
    expect(labelOf('delay', reply)).toBe("o7's confirm reply db->app1");
    expect(labelOf('pause', { type: 'node', node: 'app1' })).toBe('app1');
  });

  it('the label function can be replaced (the test that nothing parses labels) and restored', () => {
    setLabelFunction((kind, s) => `${kind}/${s.type}`);
    expect(labelOf('delay', msg())).toBe('delay/message');
    setLabelFunction(null);
    expect(labelOf('delay', msg())).toBe("o7's confirm app1->db");
  });
});

describe('an event\'s subject', () => {
  it('is its kind, its owner, and what its argument is about', () => {
    const q = new EventQueue();
    const noop = () => {};
    const e = q.push(5, noop, { subject: () => msg() }, 'deliver', 'db');
    expect(eventSubjectOf(e)).toEqual({ kind: 'deliver', owner: 'db', subject: msg() });
    expect(eventSubjectOf(q.push(6, noop, undefined, 'faults-end', ''))).toEqual({ kind: 'faults-end', owner: '', subject: NO_SUBJECT });
  });

  it('an rpc\'s timer is about the call, not the request message it carries', () => {
    const q = new EventQueue();
    const request = { subject: () => msg(), callSubject: () => callOf(msg()) };
    expect(eventSubjectOf(q.push(9, () => {}, request, 'timeout', 'app1')).subject).toEqual({ type: 'call', process: 'o7', call: 'confirm', attempt: 1 });
    // Another kind of event carrying the same message is about the message.
    expect(eventSubjectOf(q.push(9, () => {}, request, 'deliver', 'db')).subject).toEqual(msg());
    // A timer whose argument has no call is about its argument.
    expect(eventSubjectOf(q.push(9, () => {}, { subject: () => NO_SUBJECT }, 'timeout', 'app1')).subject).toEqual(NO_SUBJECT);
  });
});
