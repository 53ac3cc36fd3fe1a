/** Stream faults, in exchange time (virtual clock + clockOffsetMs). Stream names as Binance spells them. */

/** The stream goes silent on every connection for [from, to) (default: from now on, forever). */
export interface StreamStallFault {
  stream: string;
  from?: number;
  to?: number;
}

/** The final update (x:true) of the candle opening at `openTime` is never sent on `stream`. */
export interface SkippedFinalFault {
  stream: string;
  openTime: number;
}

/** Every open stream connection is dropped (TCP reset, no close frame) when the exchange clock reaches `at`. */
export interface ConnectionDropFault {
  at: number;
}

export interface StreamFaultSettings {
  streamStalls: StreamStallFault[];
  skippedFinals: SkippedFinalFault[];
  connectionDrops: ConnectionDropFault[];
}

export function isStalled(stalls: readonly StreamStallFault[], stream: string, t: number): boolean {
  return stalls.some(
    (s) => s.stream === stream && (s.from === undefined || s.from <= t) && (s.to === undefined || t < s.to),
  );
}

export function isSkippedFinal(
  skipped: readonly SkippedFinalFault[],
  stream: string,
  openTime: number,
): boolean {
  return skipped.some((s) => s.stream === stream && s.openTime === openTime);
}
