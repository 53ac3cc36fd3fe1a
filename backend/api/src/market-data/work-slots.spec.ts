import { WorkSlots } from './work-slots';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('WorkSlots', () => {
  it('runs at most `size` tasks at once and lets urgent ones go before the others', async () => {
    const slots = new WorkSlots(2);
    const order: string[] = [];
    const gates = new Map<string, () => void>();
    const task = (name: string) => () =>
      new Promise<void>((resolve) => {
        order.push(name);
        gates.set(name, resolve);
      });
    const all = [
      slots.run(false, task('a')),
      slots.run(false, task('b')),
      slots.run(false, task('backfill')),
      slots.run(true, task('final')),
    ];
    await tick();
    expect(order).toEqual(['a', 'b']);
    expect([slots.busy, slots.waiting]).toEqual([2, 2]);
    gates.get('a')!();
    await tick();
    expect(order).toEqual(['a', 'b', 'final']);
    gates.get('b')!();
    await tick();
    gates.get('final')!();
    gates.get('backfill')?.();
    await tick();
    gates.get('backfill')!();
    await Promise.all(all);
    expect(order).toEqual(['a', 'b', 'final', 'backfill']);
    expect([slots.busy, slots.waiting]).toEqual([0, 0]);
  });

  it('frees the slot when a task fails', async () => {
    const slots = new WorkSlots(1);
    await expect(slots.run(false, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(slots.run(false, async () => 'next')).resolves.toBe('next');
  });
});
