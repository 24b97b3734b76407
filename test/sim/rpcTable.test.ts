/**
 * The rpc table owns the calls in flight: each is answered, timed out or cleared by a crash of
 * its caller's node, exactly once, and a quiet run has none left.
 */
import { describe, expect, it } from 'vitest';
import { RpcTable } from '../../src/sim/rpcTable.js';
import { KernelAssertionError } from '../../src/sim/assert.js';
import type { Process } from '../../src/sim/node.js';

const nodeA = { name: 'a' };
const nodeB = { name: 'b' };
const proc = (name: string, node: unknown = nodeA) => ({ name, node, alive: true, waitingRpc: -1 }) as unknown as Process<unknown>;
const table = () => new RpcTable(() => 42);

function thrown(f: () => unknown): KernelAssertionError {
  try {
    f();
  } catch (e) {
    if (e instanceof KernelAssertionError) return e;
    throw e;
  }
  throw new Error('no kernel assertion');
}

describe('the rpc table', () => {
  it('numbers rpcs from 1; the caller waits for its rpc until the reply, which finds it once', () => {
    const t = table();
    const p = proc('p');
    const q = proc('q');
    expect(t.open(p)).toBe(1);
    expect(t.open(q)).toBe(2);
    expect(p.waitingRpc).toBe(1);
    expect(t.size).toBe(2);
    expect(t.answer(1, nodeA)).toBe(p);
    expect(p.waitingRpc).toBe(-1);
    expect(t.size).toBe(1);
    // A second reply (the duplicate's) and the timer that follows find nobody: late.
    expect(t.answer(1, nodeA)).toBeNull();
    expect(t.timeout(1)).toBeNull();
    expect(t.timeout(2)).toBe(q);
    expect(q.waitingRpc).toBe(-1);
    expect(t.answer(2, nodeA)).toBeNull();
    expect(t.size).toBe(0);
    t.assertQuiet();
  });

  it('a crash clears the calls of the processes on that node only', () => {
    const t = table();
    const a1 = proc('a1');
    const b1 = proc('b1', nodeB);
    const a2 = proc('a2');
    t.open(a1);
    t.open(b1);
    t.open(a2);
    t.clearNode(nodeA);
    expect(t.size).toBe(1);
    expect(t.answer(1, nodeA)).toBeNull();
    expect(t.timeout(3)).toBeNull();
    expect(t.timeout(2)).toBe(b1);
    t.assertQuiet();
  });

  it('a process waits for one rpc at a time, and a dead one for none', () => {
    const t = table();
    const p = proc('p');
    t.open(p);
    const e = thrown(() => t.open(p));
    expect(e.invariant).toBe('a process waits for one rpc at a time');
    expect(e.detail).toBe('p started an rpc while waiting for rpc 1');
    expect(e.atMs).toBe(42);
    const dead = proc('d');
    (dead as { alive: boolean }).alive = false;
    expect(thrown(() => t.open(dead)).invariant).toBe('a process waits for one rpc at a time');
  });

  it('a reply must find its caller alive, waiting for it, on the node it went to', () => {
    const wrongNode = table();
    wrongNode.open(proc('p'));
    expect(thrown(() => wrongNode.answer(1, nodeB)).detail).toBe('the reply to rpc 1 found p waiting for rpc 1');
    const other = table();
    const p = proc('p');
    other.open(p);
    p.waitingRpc = 7;
    expect(thrown(() => other.answer(1, nodeA)).detail).toBe('the reply to rpc 1 found p waiting for rpc 7');
    const dead = table();
    const d = proc('d');
    dead.open(d);
    (d as { alive: boolean }).alive = false;
    const e = thrown(() => dead.answer(1, nodeA));
    expect(e.invariant).toBe('each rpc is answered or timed out exactly once');
    expect(e.detail).toBe('the reply to rpc 1 found d dead');
  });

  it('a timer must find its caller alive and waiting for it', () => {
    const t = table();
    const p = proc('p');
    t.open(p);
    p.waitingRpc = 3;
    expect(thrown(() => t.timeout(1)).detail).toBe('the timeout of rpc 1 found p waiting for rpc 3');
    const u = table();
    const d = proc('d');
    u.open(d);
    (d as { alive: boolean }).alive = false;
    expect(thrown(() => u.timeout(1)).detail).toBe('the timeout of rpc 1 found d dead');
  });

  it('quiet with a call still waiting, or one lost from the table, is a kernel bug', () => {
    const t = table();
    t.open(proc('p'));
    const e = thrown(() => t.assertQuiet());
    expect(e.invariant).toBe('each rpc is answered or timed out exactly once');
    expect(e.detail).toBe('quiet with 1 rpcs waiting (1 started, 0 resolved)');
    t.loseOneForTests();
    expect(thrown(() => t.assertQuiet()).detail).toBe('quiet with 0 rpcs waiting (1 started, 0 resolved)');
  });
});
