import { SlidingWindowLimiter } from './sliding-window-limiter';

describe('SlidingWindowLimiter', () => {
  it('lets `limit` events through per window and says how long the next one must wait', () => {
    const limiter = new SlidingWindowLimiter(3, 1000);
    for (const at of [0, 100, 200]) {
      expect(limiter.delayAt(at)).toBe(0);
      limiter.record(at);
    }
    expect(limiter.delayAt(300)).toBe(700);
    expect(limiter.delayAt(1000)).toBe(0);
    limiter.record(1000);
    expect(limiter.countAt(1000)).toBe(3);
  });
});
