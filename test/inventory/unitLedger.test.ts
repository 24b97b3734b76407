// The primary's unit ledger (src/inventory/unitLedger.ts), with no operation on top: the state
// an item starts in, how a counter move maps onto physical units, how a commit is numbered,
// logged and shipped, and how a unit id is read back.
import { describe, expect, it } from 'vitest';
import { UnitLedger, type DbEvent, type LogEntry } from '../../src/inventory/unitLedger.js';

describe('UnitLedger', () => {
  it('starts every item full: the counter at its stock, version and token 0, every unit unowned and free', () => {
    const l = new UnitLedger([{ id: 'vase', stock: 2 }, { id: 'bowl', stock: 0 }]);
    expect([...l.items.keys()]).toEqual(['vase', 'bowl']);
    expect(l.items.get('vase')).toEqual({ id: 'vase', initial: 2, stock: 2, version: 0, highestToken: 0, owners: [[], [], []], reservedBy: [null, null, null], phantomUnits: 0 });
    expect(l.items.get('bowl')).toEqual({ id: 'bowl', initial: 0, stock: 0, version: 0, highestToken: 0, owners: [[]], reservedBy: [null], phantomUnits: 0 });
    expect(l.seq).toBe(0);
    expect(l.log).toEqual([]);
  });

  it('each unit has its own list of owners', () => {
    const l = new UnitLedger([{ id: 'vase', stock: 2 }]);
    const it = l.items.get('vase')!;
    expect(l.claim(it, 1, 1, 'o1')).toEqual(['vase#2']);
    expect(it.owners).toEqual([[], [], ['o1']]);
  });

  it('a setStock is a new version of the counter', () => {
    const l = new UnitLedger([{ id: 'vase', stock: 2 }]);
    const it = l.items.get('vase')!;
    l.setStock(it, 7);
    l.setStock(it, 7);
    expect(it).toMatchObject({ stock: 7, version: 2 });
  });

  it('a commit takes the next sequence number and logs the counter there; an append shares the current one', () => {
    const l = new UnitLedger([{ id: 'vase', stock: 2 }, { id: 'bowl', stock: 1 }]);
    const shipped: LogEntry[] = [];
    const vase = l.items.get('vase')!;
    const bowl = l.items.get('bowl')!;
    l.setStock(vase, 1);
    l.commit(vase); // no listener yet: logged all the same
    l.onCommit = (e) => shipped.push(e);
    l.setStock(bowl, 0);
    l.commit(bowl);
    l.append(vase);
    const entries = [{ seq: 1, item: 'vase', stock: 1, version: 1 }, { seq: 2, item: 'bowl', stock: 0, version: 1 }, { seq: 2, item: 'vase', stock: 1, version: 1 }];
    expect(l.log).toEqual(entries);
    expect(shipped).toEqual(entries.slice(1));
    expect(l.seq).toBe(2);
  });

  it('reads a unit id back into its item and 1-based number, at the last #', () => {
    const l = new UnitLedger([{ id: 'vase', stock: 12 }, { id: 'big#vase', stock: 3 }]);
    expect(l.unit('vase#12')).toEqual({ it: l.items.get('vase'), n: 12 });
    expect(l.unit('big#vase#3')).toEqual({ it: l.items.get('big#vase'), n: 3 });
  });

  it('reports an event with its order only when the order is a string, and to nobody when nobody listens', () => {
    const l = new UnitLedger([{ id: 'vase', stock: 1 }]);
    l.emit('read', 'o1', { item: 'vase' }); // no listener: nothing happens
    const seen: DbEvent[] = [];
    l.onEvent = (e) => seen.push(e);
    l.emit('read', 'o1', { item: 'vase' });
    l.emit('read', 7, { item: 'vase' });
    l.emit('read', undefined, {});
    expect(seen).toEqual([
      { op: 'read', order: 'o1', detail: { item: 'vase' } },
      { op: 'read', order: undefined, detail: { item: 'vase' } },
      { op: 'read', order: undefined, detail: {} },
    ]);
  });
});
