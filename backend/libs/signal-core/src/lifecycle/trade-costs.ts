import type { Direction } from '../scoring/condition-key';

/**
 * R of a trade from `entry` to `exit` against the initial stop: gross, and net of costs paid on
 * both sides — each side pays (feeBps + slippageBps) basis points of its traded price, and the
 * sum is expressed in units of the initial risk |entry − initialStop|. Costs lower R whatever the
 * direction.
 */
export function tradeR(
  direction: Direction,
  entry: number,
  initialStop: number,
  exit: number,
  feeBps: number,
  slippageBps: number,
): { grossR: number; netR: number } {
  const risk = Math.abs(entry - initialStop);
  const grossR = (direction === 'LONG' ? exit - entry : entry - exit) / risk;
  const perSide = (feeBps + slippageBps) / 10_000;
  return { grossR, netR: grossR - (perSide * (entry + exit)) / risk };
}
