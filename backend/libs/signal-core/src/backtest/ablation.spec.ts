import { CONDITION_KEYS } from '../scoring/condition-key';
import { splitByCondition } from './ablation';

describe('splitByCondition', () => {
  it('splits the closes by each condition at creation: count, hit rate TP / all closed, mean net R', () => {
    const table = splitByCondition([
      { status: 'TP_HIT', netR: 1.5, initialConditionMask: 0b01 },
      { status: 'SL_HIT', netR: -1.1, initialConditionMask: 0b11 },
      { status: 'EXPIRED', netR: 0.2, initialConditionMask: 0b10 },
      // Not closed: in no figure.
      { status: 'ACTIVE', netR: null, initialConditionMask: 0b11 },
    ]);
    expect(table.map((row) => row.key)).toEqual([...CONDITION_KEYS]);
    const [first, second, third] = table;
    expect(first.held).toMatchObject({ count: 2, hitRate: { successes: 1, n: 2 } });
    expect(first.held.meanNetR).toBeCloseTo(0.2, 12);
    expect(first.notHeld).toMatchObject({ count: 1, hitRate: { successes: 0, n: 1 } });
    expect(first.notHeld.meanNetR).toBeCloseTo(0.2, 12);
    expect(second.held).toMatchObject({ count: 2, hitRate: { successes: 0, n: 2 } });
    expect(second.held.meanNetR).toBeCloseTo(-0.45, 12);
    expect(second.notHeld).toMatchObject({ count: 1, meanNetR: 1.5 });
    expect(third.held).toMatchObject({ count: 0, meanNetR: null, hitRate: { n: 0, value: null } });
    expect(third.notHeld.count).toBe(3);
  });
});
