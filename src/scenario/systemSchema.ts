// The system under test: which nodes exist, how the network and the payment provider behave.
import { z } from 'zod';
import { LIMITS } from './limits.js';
import { intIn, ms, nodeName, perMille } from './fields.js';

const replicaSchema = z.strictObject({
  lagMsMin: ms().default(50).describe('Shortest replication lag of this replica.'),
  lagMsMax: ms().default(200).describe('Longest replication lag of this replica.'),
});

export const topologySchema = z.strictObject({
  appServers: intIn(1, LIMITS.appServersMax).default(3)
    .describe('Number of app servers, named app1..appN.'),
  replicas: z.array(replicaSchema).max(LIMITS.replicasMax).default([])
    .describe('Read replicas of the primary "db", named replica1..replicaK; each applies the log with a seeded lag.'),
  readFrom: z.enum(['primary', 'replicas']).optional()
    .describe('Where app servers send reads. Default: "replicas" when there are replicas, else "primary".'),
  dbTickMs: intIn(1, LIMITS.msMax).default(100)
    .describe('Period of the primary\'s own tick, which advances its logical sequence number while reservations or leases are live; the lock service ticks at the same period.'),
});

const linkSchema = z.strictObject({
  from: nodeName().describe('Sending node.'),
  to: nodeName().describe('Receiving node.'),
  delayMsMin: ms().describe('Shortest one-way delay on this link.'),
  delayMsMax: ms().describe('Longest one-way delay on this link.'),
});

export const networkSchema = z.strictObject({
  delayMsMin: ms().default(50).describe('Shortest one-way message delay.'),
  delayMsMax: ms().default(200).describe('Longest one-way message delay.'),
  dropRequestPerMille: perMille().default(0).describe('Chance in thousandths that a request is lost.'),
  dropReplyPerMille: perMille().default(0)
    .describe('Chance in thousandths that a reply is lost after the request was applied.'),
  duplicatePerMille: perMille().default(0).describe('Chance in thousandths that a request is delivered twice.'),
  reorderPerMille: perMille().default(1000)
    .describe('Chance in thousandths that a message may overtake an earlier one on the same link. 1000 (the default): every message takes its own delay, as with one connection per request; 0: links are FIFO.'),
  links: z.array(linkSchema).max(LIMITS.linksMax).default([])
    .describe('Per-link delay overrides, one direction each (from -> to).'),
});

export const paymentSchema = z.strictObject({
  delayMsMin: ms().default(20).describe('Shortest time the payment provider takes to answer a charge.'),
  delayMsMax: ms().default(100).describe('Longest time the payment provider takes to answer a charge.'),
  failPerMille: perMille().default(0).describe('Chance in thousandths that a charge is declined.'),
});
