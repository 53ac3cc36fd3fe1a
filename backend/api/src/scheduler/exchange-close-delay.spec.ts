import { CLOSE_SETTLE_MS, delayUntilExchangeClose, MAX_CLOSE_DELAY_MS } from './exchange-close-delay';

const TICK = Date.UTC(2026, 11, 2, 12, 0, 0);
const offset = (offsetMs: number) => ({ offsetMs, measuredAt: TICK - 30_000, roundTripMs: 20 });

describe('delayUntilExchangeClose', () => {
  it('waits for the exchange minute to close when the exchange is behind the host (0.3 s), plus the settle margin', () => {
    expect(delayUntilExchangeClose(TICK, offset(-300), TICK + 5)).toBe(300 + CLOSE_SETTLE_MS - 5);
  });

  it('only the settle margin left when the exchange is ahead, nothing once that has passed', () => {
    expect(delayUntilExchangeClose(TICK, offset(200), TICK)).toBe(CLOSE_SETTLE_MS - 200);
    expect(delayUntilExchangeClose(TICK, offset(200), TICK + 100)).toBe(0);
  });

  it('does not align to an exchange on its own time line (a replay) nor before any measurement', () => {
    expect(delayUntilExchangeClose(TICK, offset(-2 * 365 * 86_400_000), TICK)).toBe(0);
    expect(delayUntilExchangeClose(TICK, null, TICK)).toBe(0);
  });

  it('never holds a scan longer than the cap', () => {
    expect(delayUntilExchangeClose(TICK, offset(-59_000), TICK)).toBe(MAX_CLOSE_DELAY_MS);
  });
});
