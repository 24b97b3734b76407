// A fault step in words, one wording everywhere (check's knobs, why, export, validate's
// translations of old steps): the file vocabulary's own sentences.
import type { CallAddressConfig, FaultStepConfig } from '../inventory/faultSteps.js';

/** A call by origin in words: "o7's confirm", "o7's confirm (attempt 2)", "recover-app2's release". */
export function callText(a: CallAddressConfig, call: string): string {
  const who = a.order ?? a.process ?? (a.nth !== undefined ? `the ${ordinal(a.nth)}` : '?');
  const attempt = a.attempt ?? 1;
  return a.nth !== undefined && a.order === undefined && a.process === undefined ? `${who} ${call}` : `${who}'s ${call}${attempt > 1 ? ` (attempt ${attempt})` : ''}`;
}

/** 1st, 2nd, 3rd, 4th, ..., 11th, 12th, 13th, 21st. */
export function ordinal(n: number): string {
  const s = n % 100 >= 11 && n % 100 <= 13 ? 'th' : ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
  return `${n}${s}`;
}

/** A fault step in words, e.g. "pause app2 at 250 ms for 8000 ms", "drop-reply of o7's confirm (attempt 2)". */
export function describeStep(st: FaultStepConfig): string {
  switch (st.kind) {
    case 'pause':
      if (st.onDelivery !== undefined) {
        const m = st.onDelivery;
        return `pause ${st.node} for ${st.durationMs} ms on delivery of ${callText(m, m.call)}${m.reply ? ' reply' : ''}${m.copy > 0 ? (m.reply ? ' to the duplicate' : ' (duplicate)') : ''}`;
      }
      return `pause ${st.node} at ${st.atMs} ms for ${st.durationMs} ms`;
    case 'crash':
      return `crash ${st.node} at ${st.atMs} ms${st.restartAtMs === null ? '' : `, restart at ${st.restartAtMs} ms`}`;
    case 'partition':
      return `partition [${st.a.join(', ')}] ${st.direction === 'both' ? '|' : '->'} [${st.b.join(', ')}] from ${st.atMs} to ${st.healAtMs} ms`;
    case 'clock':
      return `clock of ${st.node} ${st.offsetMs >= 0 ? '+' : ''}${st.offsetMs} ms, ${st.driftPpm >= 0 ? '+' : ''}${st.driftPpm} ppm`;
    case 'delay-call':
      return `delay ${callText(st, st.call)} by ${st.extraMs} ms`;
    case 'delay-reply':
      return `delay the reply to ${callText(st, st.call)}${(st.copy ?? 0) > 0 ? `'s duplicate` : ''} by ${st.extraMs} ms`;
    case 'payment-fail':
      return `decline ${callText(st, 'charge')}${(st.copy ?? 0) > 0 ? ' (its duplicate)' : ''}`;
    case 'drop-reply':
      return `drop-reply of ${callText(st, st.call)}${(st.copy ?? 0) > 0 ? ' (the reply to its duplicate)' : ''}`;
    case 'delay-replica':
      return `delay ${st.replica}'s apply of log entry ${st.entry} by ${st.extraMs} ms`;
    case 'duplicate-request':
      return `duplicate-request ${callText(st, st.call)}${st.copyExtraMs > 0 ? `, the copy ${st.copyExtraMs} ms late` : ''}${st.copyReplyExtraMs > 0 ? `, the copy's reply ${st.copyReplyExtraMs} ms late` : ''}`;
    default:
      return `${st.kind} of ${callText(st, st.call)}`;
  }
}
