// Fault injection: random chaos knobs plus explicit steps. A step is the data form of one
// method call on the simulation (pause, crash, partition, ...), keyed by `kind`.
import { z } from 'zod';
import { CALL_KINDS, LIMITS } from './limits.js';
import { intIn, ms, nodeList, nodeName, perMille, ORDER_ID_PATTERN, ORDER_ID_RULE, PROCESS_NAME_PATTERN, PROCESS_NAME_RULE } from './fields.js';

const atMs = () => ms().describe('Virtual time at which the fault starts.');
const call = () => z.enum(CALL_KINDS).describe('The remote call kind the fault targets.');

// A call is addressed by its origin, never by a global count: "o7's confirm, 2nd attempt" is
// the same message under every interleaving (docs/scenarios.md, "Addressing a call").
const order = () => z.string().min(1).max(LIMITS.idLengthMax).regex(ORDER_ID_PATTERN, { error: ORDER_ID_RULE })
  .describe('The order whose placeOrder made the call: "o1".."oN", in the order the workload lists or generates them. Give order or process.');
const processName = () => z.string().min(1).max(LIMITS.idLengthMax).regex(PROCESS_NAME_PATTERN, { error: PROCESS_NAME_RULE })
  .describe('Or the process that made the call when it is not an order\'s: "recover-app2", the recovery that runs after app2 restarts ("recover-app2#2" after its second crash).');
const attempt = () => intIn(1, LIMITS.attemptMax).default(1)
  .describe('Which call of this kind by that order or process: 1 is its first, 2 its second (a retry, or the next call of the same kind), ...');
const callAddress = () => ({ call: call(), order: order().optional(), process: processName().optional(), attempt: attempt() });

const replyCopy = () => intIn(0, 1).default(0)
  .describe('Which reply: 0 the reply to the original request, 1 the reply to the network\'s duplicate of it.');

/** A message by origin: a call's request or reply, and which copy. */
const messageAddress = () => z.strictObject({
  ...callAddress(),
  reply: z.boolean().default(false).describe('false: the request; true: the reply to it.'),
  copy: intIn(0, 1).default(0).describe('0: the original; 1: the network\'s duplicate of the request (or the reply to that duplicate).'),
});

export const faultStepSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('pause').describe('Freeze a node (a GC or VM pause): it neither runs nor receives until resumed.'),
    node: nodeName().describe('Node to pause.'),
    atMs: atMs().optional().describe('Virtual time at which the pause starts. Give atMs or onDelivery.'),
    onDelivery: messageAddress().optional()
      .describe('Or pause at the moment this message is delivered, before its receiver handles it (where a random pause strikes): "pause app2 on delivery of o7\'s reserve reply".'),
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
    kind: z.literal('drop-request').describe('Lose a call\'s request; the receiver never sees it.'),
    ...callAddress(),
  }),
  z.strictObject({
    kind: z.literal('drop-reply').describe('The receiver applies a call\'s request, but its reply is lost.'),
    ...callAddress(),
    copy: replyCopy(),
  }),
  z.strictObject({
    kind: z.literal('duplicate-request').describe('Deliver a call\'s request twice.'),
    ...callAddress(),
    copyExtraMs: ms().default(0)
      .describe('Extra delay of the second copy over its own delay (a delay-call step on the same call delays the first copy only).'),
    copyReplyExtraMs: ms().default(0)
      .describe('Extra delay of the reply to the second copy (a delay-reply step delays the reply to the first).'),
  }),
  z.strictObject({
    kind: z.literal('delay-call').describe('Deliver a call\'s request extraMs later than its delay says.'),
    ...callAddress(),
    extraMs: intIn(1, LIMITS.msMax).describe('Extra delay added to that request.'),
  }),
  z.strictObject({
    kind: z.literal('delay-reply').describe('The receiver applies a call\'s request; its reply arrives extraMs later than its delay says.'),
    ...callAddress(),
    copy: replyCopy(),
    extraMs: intIn(1, LIMITS.msMax).describe('Extra delay added to that reply.'),
  }),
  z.strictObject({
    kind: z.literal('delay-replica').describe('A replica applies one entry of the primary\'s log extraMs later than drawn. Replicas apply the log in order, so the entries after it wait too.'),
    replica: nodeName().describe('The replica that lags ("replica1", ...).'),
    entry: intIn(1, LIMITS.nthMax).describe('Which log entry, counted in commit order at the primary: 1 is the first change the primary commits. why and export name it ("replica1 applies log entry 3").'),
    extraMs: intIn(1, LIMITS.msMax).describe('Extra lag for that entry.'),
  }),
  z.strictObject({
    kind: z.literal('payment-fail').describe('Decline a charge: the payment provider declines the charge call of an order (or process), at its attempt.'),
    order: order().optional(),
    process: processName().optional(),
    attempt: attempt(),
    copy: intIn(0, 1).default(0).describe('0: the original charge request; 1: the network\'s duplicate of it (a charge of its own when it has no idempotency key).'),
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
  // Optional with no default: a scenario without it resolves exactly as before (no crash question is asked).
  randomCrashes: z.strictObject({
    perMille: perMille().default(0).describe('Chance in thousandths that an app server crashes as a message reaches it, before handling it (it loses its processes and calls in flight; its restart runs the strategy\'s recover).'),
    restartMsMin: ms().default(0).describe('Shortest time an app server stays down.'),
    restartMsMax: ms().default(1000).describe('Longest time it stays down (windowed timing: the restart\'s window is [restartMsMin, restartMsMax] after the crash).'),
  }).optional().describe('Seeded random crashes of the app servers (oversold explore sets this from --max-crashes). Only app servers crash at random: the database, lock service, payment provider and replicas keep durable state, crash them with a crash step.'),
  clockSkew: z.strictObject({
    offsetMsMax: ms().default(0).describe('Each app server gets a random clock offset in [-offsetMsMax, offsetMsMax].'),
    driftPpmMax: intIn(0, LIMITS.driftPpmAbsMax).default(0)
      .describe('Each app server gets a random clock drift in [-driftPpmMax, driftPpmMax] parts per million.'),
  }).prefault({}).describe('Seeded random clock skew of the app servers.'),
  steps: z.array(faultStepSchema).max(LIMITS.stepsMax).default([])
    .describe('Explicit faults, each the data form of one call on the simulation.'),
});
