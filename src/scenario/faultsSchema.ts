// Fault injection: random chaos knobs plus explicit steps. A step is the data form of one
// method call on the simulation (pause, crash, partition, ...), keyed by `kind`.
import { z } from 'zod';
import { CALL_KINDS, LIMITS } from './limits.js';
import { intIn, ms, nodeList, nodeName, perMille } from './fields.js';

const atMs = () => ms().describe('Virtual time at which the fault starts.');
const call = () => z.enum(CALL_KINDS).describe('The remote call kind the fault targets.');
const nth = () => intIn(1, LIMITS.nthMax).default(1)
  .describe('Which occurrence: 1 is the first such call, counted over all nodes in send order.');

export const faultStepSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('pause').describe('Freeze a node (a GC or VM pause): it neither runs nor receives until resumed.'),
    node: nodeName().describe('Node to pause.'),
    atMs: atMs(),
    durationMs: intIn(1, LIMITS.msMax).describe('How long the pause lasts.'),
  }),
  z.strictObject({
    kind: z.literal('crash').describe('Crash a node: it loses in-flight work and volatile state.'),
    node: nodeName().describe('Node to crash.'),
    atMs: atMs(),
    restartAtMs: ms().nullable().default(null)
      .describe('Virtual time at which the node restarts (after atMs); null: it stays down.'),
  }),
  z.strictObject({
    kind: z.literal('partition').describe('Cut the network between two groups of nodes until healAtMs.'),
    a: nodeList().min(1).describe('One side of the partition (node names).'),
    b: nodeList().min(1).describe('The other side; must not share a node with a.'),
    atMs: atMs(),
    healAtMs: ms().describe('Virtual time at which the partition heals (after atMs).'),
    direction: z.enum(['both', 'a-to-b']).default('both')
      .describe('"both" cuts both directions; "a-to-b" only drops messages sent from a to b.'),
  }),
  z.strictObject({
    kind: z.literal('clock').describe('Skew a node\'s local clock (what ctx.localTime() returns).'),
    node: nodeName().describe('Node whose clock is skewed, usually an app server.'),
    offsetMs: intIn(-LIMITS.msMax, LIMITS.msMax).default(0).describe('Constant offset added to the local clock.'),
    driftPpm: intIn(-LIMITS.driftPpmAbsMax, LIMITS.driftPpmAbsMax).default(0)
      .describe('Clock rate error in parts per million (1000 = 1 ms fast per second).'),
  }),
  z.strictObject({
    kind: z.literal('drop-request').describe('Lose the nth request of a call kind; the receiver never sees it.'),
    call: call(),
    nth: nth(),
  }),
  z.strictObject({
    kind: z.literal('drop-reply').describe('The receiver applies the nth request of a call kind, but its reply is lost.'),
    call: call(),
    nth: nth(),
  }),
  z.strictObject({
    kind: z.literal('duplicate-request').describe('Deliver the nth request of a call kind twice.'),
    call: call(),
    nth: nth(),
    copyExtraMs: ms().default(0)
      .describe('Extra delay of the second copy over its own drawn delay (a delay-call step on the same request delays the first copy only).'),
    copyReplyExtraMs: ms().default(0)
      .describe('Extra delay of the second reply to this request (a delay-reply step delays the first one).'),
  }),
  z.strictObject({
    kind: z.literal('delay-call').describe('Deliver the nth request of a call kind extraMs later than drawn.'),
    call: call(),
    nth: nth(),
    extraMs: intIn(1, LIMITS.msMax).describe('Extra delay added to that request.'),
  }),
  z.strictObject({
    kind: z.literal('delay-reply').describe('The receiver applies the nth request of a call kind; its reply arrives extraMs later than drawn.'),
    call: call(),
    nth: nth(),
    extraMs: intIn(1, LIMITS.msMax).describe('Extra delay added to that reply.'),
  }),
  z.strictObject({
    kind: z.literal('delay-replica').describe('A replica applies one entry of the primary\'s log extraMs later than drawn. Replicas apply the log in order, so the entries after it wait too.'),
    replica: nodeName().describe('The replica that lags ("replica1", ...).'),
    entry: intIn(1, LIMITS.nthMax).describe('Which log entry, counted in commit order: 1 is the first change the primary commits. why and export name it ("replica1 applies log entry 3").'),
    extraMs: intIn(1, LIMITS.msMax).describe('Extra lag for that entry.'),
  }),
  z.strictObject({
    kind: z.literal('payment-fail').describe('Decline the nth charge at the payment node.'),
    nth: nth(),
  }),
]);

export type FaultStep = z.output<typeof faultStepSchema>;

export const faultsSchema = z.strictObject({
  untilMs: ms().nullable().default(null)
    .describe('End of the fault phase: afterwards no drops, duplicates or random pauses, and partitions are healed; the run continues until quiet. null: faults never stop.'),
  randomPauses: z.strictObject({
    perMille: perMille().default(0).describe('Chance in thousandths that a node pauses when a reply reaches it (between an answer and what the process does with it).'),
    durationMsMin: ms().default(0).describe('Shortest random pause.'),
    durationMsMax: ms().default(0).describe('Longest random pause.'),
    nodes: nodeList().default([]).describe('Nodes that may pause; empty means every app server.'),
  }).prefault({}).describe('Seeded random pauses (GC, VM steal).'),
  clockSkew: z.strictObject({
    offsetMsMax: ms().default(0).describe('Each app server gets a random clock offset in [-offsetMsMax, offsetMsMax].'),
    driftPpmMax: intIn(0, LIMITS.driftPpmAbsMax).default(0)
      .describe('Each app server gets a random clock drift in [-driftPpmMax, driftPpmMax] parts per million.'),
  }).prefault({}).describe('Seeded random clock skew of the app servers.'),
  steps: z.array(faultStepSchema).max(LIMITS.stepsMax).default([])
    .describe('Explicit faults, each the data form of one call on the simulation.'),
});
