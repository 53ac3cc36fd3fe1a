import type { ClockOffset } from '../market-data';

/**
 * After the exchange's close of a minute, how long until its REST answers show the candle closed. A
 * scan that asks earlier finds it still open and stores it a whole scan period late.
 */
export const CLOSE_SETTLE_MS = 250;
/**
 * Larger offsets are not clock skew but an exchange on its own time line (a replay, a simulator at
 * speed): its minutes do not line up with the host's, so scans are not aligned to them.
 */
export const MAX_ALIGNED_OFFSET_MS = 60_000;
/** Never hold a scan longer than this, whatever the measurement says. */
export const MAX_CLOSE_DELAY_MS = 10_000;

/**
 * How long a polling scan scheduled for host time `tickMs` (a minute boundary of SCAN_CRON) waits so
 * that it starts after the EXCHANGE's clock passed that boundary plus a settle margin: with the
 * exchange 0.3 s behind the host, a scan at host :00 came before the close and found the candle open.
 */
export function delayUntilExchangeClose(tickMs: number, offset: ClockOffset | null, hostNow: number): number {
  if (offset === null || Math.abs(offset.offsetMs) > MAX_ALIGNED_OFFSET_MS) return 0;
  const exchangeBoundaryOnHost = tickMs - offset.offsetMs;
  return Math.min(MAX_CLOSE_DELAY_MS, Math.max(0, exchangeBoundaryOnHost + CLOSE_SETTLE_MS - hostNow));
}
