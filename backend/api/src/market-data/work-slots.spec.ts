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

  it('keeps the tasks that are not urgent within `normalSize` while urgent ones use every slot', async () => {
    const slots = new WorkSlots(4, 1);
    const started: string[] = [];
    const gates = new Map<string, () => void>();
    const task = (name: string) => () =>
      new Promise<void>((resolve) => {
        started.push(name);
        gates.set(name, resolve);
      });
    const all = [
      slots.run(false, task('backfill-1')),
      slots.run(false, task('backfill-2')),
      slots.run(true, task('close-1')),
      slots.run(true, task('close-2')),
      slots.run(true, task('close-3')),
      slots.run(true, task('close-4')),
    ];
    await tick();
    // One backfill (its cap), three closes (the rest of the slots); the second backfill and a close wait.
    expect(started).toEqual(['backfill-1', 'close-1', 'close-2', 'close-3']);
    expect([slots.busy, slots.waiting]).toEqual([4, 2]);
    gates.get('backfill-1')!();
    await tick();
    // The freed slot goes to the waiting close before the other backfill.
    expect(started).toEqual(['backfill-1', 'close-1', 'close-2', 'close-3', 'close-4']);
    gates.get('close-1')!();
    await tick();
    expect(started.at(-1)).toBe('backfill-2');
    for (const name of ['close-2', 'close-3', 'close-4', 'backfill-2']) gates.get(name)!();
    await Promise.all(all);
    expect([slots.busy, slots.waiting]).toEqual([0, 0]);
  });

  it('refuses a cap for the others above the total', () => {
    expect(() => new WorkSlots(2, 3)).toThrow('normal slots must be a whole number from 1 to 2');
  });

  it('frees the slot when a task fails', async () => {
    const slots = new WorkSlots(1);
    await expect(slots.run(false, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(slots.run(false, async () => 'next')).resolves.toBe('next');
  });
});
