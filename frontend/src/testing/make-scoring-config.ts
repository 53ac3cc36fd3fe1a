import type { ScoringVersion } from '@scanner/contracts';

/** A scoring version's settings as the server sends them (one weight), with the given minimum confidence. */
export function makeScoringConfig(minConfidence = 70): ScoringVersion['config'] {
  return {
    weights: { macd_cross: 20 },
    minConfidence,
    rsiLong: { min: 40, max: 65 },
    rsiShort: { min: 35, max: 60 },
    adxMin: 20,
    macdCrossLookback: 3,
    stopLossAtr: 1.5,
    takeProfitAtr: 2.5,
    expiryCandles: 12,
    cooldownCandles: 3,
    updateThreshold: 5,
    invalidationRatio: 0.8,
    trailingStop: false,
    feeBps: 10,
    slippageBps: 0,
  };
}
