import { StreamAllocation } from './stream-allocation';

const names = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => `s${from + i}@kline_5m`);

describe('StreamAllocation', () => {
  it('spreads streams over as few connections as the per-connection limit allows', () => {
    const allocation = new StreamAllocation(1024);
    const plan = allocation.plan(names(0, 4000));
    expect(plan.open.map((o) => o.streams.length)).toEqual([1024, 1024, 1024, 928]);
    allocation.commit(plan);
    expect(allocation.size()).toBe(4000);
  });

  it('moves no stream when the universe changes: removals unsubscribe in place, additions fill free room', () => {
    const allocation = new StreamAllocation(10);
    allocation.commit(allocation.plan(names(0, 15)));
    const [first, second] = allocation.connections();
    const plan = allocation.plan([...names(2, 15), ...names(100, 104)]);
    expect(plan.open).toEqual([]);
    expect(plan.changes).toEqual([
      { connectionId: first, subscribe: names(100, 102), unsubscribe: names(0, 2) },
      { connectionId: second, subscribe: names(102, 104), unsubscribe: [] },
    ]);
    allocation.commit(plan);
    expect(allocation.streamsOf(second)).toEqual([...names(10, 15), ...names(102, 104)]);
  });

  it('closes a connection whose streams all left', () => {
    const allocation = new StreamAllocation(5);
    allocation.commit(allocation.plan(names(0, 8)));
    const plan = allocation.plan(names(0, 5));
    expect(plan.close).toEqual([allocation.connections()[1]]);
    allocation.commit(plan);
    expect(allocation.connections()).toHaveLength(1);
  });

  it('refuses more than Binance allows per connection', () => {
    expect(() => new StreamAllocation(1025)).toThrow('1–1024');
  });
});
