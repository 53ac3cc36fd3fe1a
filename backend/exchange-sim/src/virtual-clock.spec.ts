import { VirtualClock, toEpochMs } from './virtual-clock';

describe('VirtualClock', () => {
  let real = 1_000_000;
  const realNow = () => real;
  beforeEach(() => {
    real = 1_000_000;
  });

  it('runs at speed × real time from its start', () => {
    const clock = new VirtualClock({ startTime: '2024-08-04T00:00:00Z', speed: 60 }, realNow);
    expect(clock.now()).toBe(Date.UTC(2024, 7, 4));
    real += 1000;
    expect(clock.now()).toBe(Date.UTC(2024, 7, 4, 0, 1));
  });

  it('stands still while paused and moves only by set() and advance()', () => {
    const clock = new VirtualClock({ startTime: 5000, paused: true }, realNow);
    real += 10_000;
    expect(clock.now()).toBe(5000);
    clock.advance(250);
    expect(clock.now()).toBe(5250);
    clock.set('1970-01-01T00:00:10Z');
    expect(clock.now()).toBe(10_000);
    clock.resume();
    real += 2;
    expect(clock.now()).toBe(10_002);
  });

  it('keeps the current instant when the speed changes', () => {
    const clock = new VirtualClock({ startTime: 0, speed: 2 }, realNow);
    real += 100;
    clock.setSpeed(10);
    expect(clock.now()).toBe(200);
    real += 10;
    expect(clock.now()).toBe(300);
  });

  it('rejects a negative speed and an unparseable time', () => {
    expect(() => new VirtualClock({ startTime: 0, speed: -1 }, realNow)).toThrow(/speed/);
    expect(() => toEpochMs('yesterday-ish')).toThrow(/not a time/);
    expect(toEpochMs('1722211200000')).toBe(1722211200000);
  });
});
