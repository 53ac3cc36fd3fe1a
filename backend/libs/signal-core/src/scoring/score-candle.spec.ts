import type { ScoringValues } from '../indicators/indicator-values.types';
import { IndicatorSet } from '../indicators/indicator-set';
import { loadTalibFixtures } from '../testing/talib-fixtures';
import type { ConditionKey } from './condition-key';
import { conditionMask, confidenceFromMask, weightVector } from './condition-rules';
import { DEFAULT_ENGINE_CONFIG as CFG } from './engine-config';
import { scoreCandle, type ScoreInput } from './score-candle';
import { computeTradeLevels } from './trade-levels';

/** Every LONG condition met. */
const BULL: ScoringValues = {
  close: 105,
  rsi: 60,
  macd: 1.2,
  macdSignal: 1,
  macdHistogram: 0.2,
  ema9: 104,
  ema21: 103,
  ema50: 100,
  ema200: 90,
  atr: 2,
  adx: 25,
  plusDi: 30,
  minusDi: 15,
  bbUpper: 110,
  bbMiddle: 102,
  bbLower: 94,
  haOpen: 103,
  haClose: 104.5,
  candlesSinceBullishCross: 1,
  candlesSinceBearishCross: Number.POSITIVE_INFINITY,
};
/** Every SHORT condition met. */
const BEAR: ScoringValues = {
  close: 95,
  rsi: 40,
  macd: -1.2,
  macdSignal: -1,
  macdHistogram: -0.2,
  ema9: 96,
  ema21: 97,
  ema50: 100,
  ema200: 110,
  atr: 2,
  adx: 25,
  plusDi: 15,
  minusDi: 30,
  bbUpper: 106,
  bbMiddle: 98,
  bbLower: 90,
  haOpen: 97,
  haClose: 95.5,
  candlesSinceBullishCross: Number.POSITIVE_INFINITY,
  candlesSinceBearishCross: 0,
};

const met = (v: Partial<ScoringValues>, base: ScoringValues, dir: 'long' | 'short', key: ConditionKey) =>
  scoreCandle({ ...base, ...v }, CFG)[dir].conditions.find((c) => c.key === key)!;

describe('scoreCandle', () => {
  it('gives 100 to the direction whose eight conditions all hold and 0 to the other', () => {
    const bull = scoreCandle(BULL, CFG);
    expect(bull.long.confidence).toBe(100);
    expect(bull.long.conditions.map((c) => c.key)).toEqual([
      'macd_cross',
      'rsi_zone',
      'trend_ema50',
      'ema_stack',
      'adx_trend',
      'heikin_ashi',
      'trend_ema200',
      'bb_position',
    ]);
    expect(bull.long.conditions.every((c) => c.met && c.weight === CFG.weights[c.key])).toBe(true);
    expect(bull.short.confidence).toBe(0);
    const bear = scoreCandle(BEAR, CFG);
    expect(bear.short.confidence).toBe(100);
    expect(bear.long.confidence).toBe(0);
  });

  it('confidence is the sum of the weights met', () => {
    const s = scoreCandle({ ...BULL, rsi: 75, ema9: 102 }, CFG).long;
    expect(s.confidence).toBe(100 - 15 - 10);
  });

  it('rsi_zone: RSI exactly 50 and 70 are inside the LONG band; 50 and 30 inside the SHORT band', () => {
    expect(met({ rsi: 50 }, BULL, 'long', 'rsi_zone').met).toBe(true);
    expect(met({ rsi: 70 }, BULL, 'long', 'rsi_zone').met).toBe(true);
    expect(met({ rsi: 70.0000001 }, BULL, 'long', 'rsi_zone').met).toBe(false);
    expect(met({ rsi: 49.9999999 }, BULL, 'long', 'rsi_zone').met).toBe(false);
    expect(met({ rsi: 50 }, BEAR, 'short', 'rsi_zone').met).toBe(true);
    expect(met({ rsi: 30 }, BEAR, 'short', 'rsi_zone').met).toBe(true);
    expect(met({ rsi: 29.99 }, BEAR, 'short', 'rsi_zone').met).toBe(false);
    expect(met({ rsi: 56.2 }, BULL, 'long', 'rsi_zone').detail).toBe('RSI 56.2 in [50, 70]');
  });

  it('macd_cross: a cross on the 3rd-last closed candle counts, on the 4th-last it does not', () => {
    expect(met({ candlesSinceBullishCross: 0 }, BULL, 'long', 'macd_cross').met).toBe(true);
    expect(met({ candlesSinceBullishCross: 2 }, BULL, 'long', 'macd_cross').met).toBe(true);
    const old = met({ candlesSinceBullishCross: 3 }, BULL, 'long', 'macd_cross');
    expect(old.met).toBe(false);
    expect(old.detail).toContain('not within the last 3');
    expect(met({ candlesSinceBearishCross: 2 }, BEAR, 'short', 'macd_cross').met).toBe(true);
    expect(met({ candlesSinceBearishCross: 3 }, BEAR, 'short', 'macd_cross').met).toBe(false);
  });

  it('macd_cross needs the histogram on the right side of zero', () => {
    expect(met({ macdHistogram: 0 }, BULL, 'long', 'macd_cross').met).toBe(false);
    expect(met({ macdHistogram: 0 }, BEAR, 'short', 'macd_cross').met).toBe(false);
    expect(
      met({ candlesSinceBullishCross: null } as unknown as ScoringValues, BULL, 'long', 'macd_cross').detail,
    ).toContain('no MACD cross');
  });

  it('adx_trend: equal DI meets neither direction; ADX exactly at the minimum counts', () => {
    expect(met({ plusDi: 20, minusDi: 20 }, BULL, 'long', 'adx_trend').met).toBe(false);
    expect(met({ plusDi: 20, minusDi: 20 }, BEAR, 'short', 'adx_trend').met).toBe(false);
    expect(met({ adx: 20 }, BULL, 'long', 'adx_trend').met).toBe(true);
    expect(met({ adx: 19.999 }, BULL, 'long', 'adx_trend').met).toBe(false);
    expect(met({ adx: 20 }, BEAR, 'short', 'adx_trend').met).toBe(true);
  });

  it('trend, stack, Heikin Ashi and band conditions are strict inequalities', () => {
    expect(met({ ema50: 105 }, BULL, 'long', 'trend_ema50').met).toBe(false);
    expect(met({ ema200: 95 }, BEAR, 'short', 'trend_ema200').met).toBe(false);
    expect(met({ ema9: 103 }, BULL, 'long', 'ema_stack').met).toBe(false);
    expect(met({ haClose: 103 }, BULL, 'long', 'heikin_ashi').met).toBe(false);
    expect(met({ haClose: 97 }, BEAR, 'short', 'heikin_ashi').met).toBe(false);
    expect(met({ bbUpper: 105 }, BULL, 'long', 'bb_position').met).toBe(false);
    expect(met({ bbMiddle: 105 }, BULL, 'long', 'bb_position').met).toBe(false);
    expect(met({ bbLower: 95 }, BEAR, 'short', 'bb_position').met).toBe(false);
    expect(met({}, BEAR, 'short', 'bb_position').detail).toBe(
      'lower band 90 < close 95 < middle band 98 required',
    );
  });

  it('treats null (warm-up) values as not met and says so', () => {
    const input = { ...BULL, ema200: null } as unknown as ScoreInput;
    const c = scoreCandle(input, CFG).long.conditions.find((x) => x.key === 'trend_ema200')!;
    expect(c.met).toBe(false);
    expect(c.detail).toBe('close 105 > EMA200 n/a required');
  });

  it('the fast mask path gives the same confidence as the breakdown on real candles', () => {
    const [fx] = loadTalibFixtures().filter((f) => f.name === 'TRXUSDT-5m');
    const set = new IndicatorSet();
    const weights = weightVector(CFG);
    let nonZero = 0;
    for (const c of fx.candles) {
      set.add(c);
      const s = scoreCandle(set, CFG);
      expect(confidenceFromMask(conditionMask(set, CFG, 'LONG'), weights)).toBe(s.long.confidence);
      expect(confidenceFromMask(conditionMask(set, CFG, 'SHORT'), weights)).toBe(s.short.confidence);
      if (s.long.confidence >= 70 || s.short.confidence >= 70) nonZero++;
    }
    expect(nonZero).toBeGreaterThan(0);
  });
});

describe('computeTradeLevels', () => {
  it('puts SL 1.5 ATR and TP 2.5 ATR from the entry, mirrored for SHORT', () => {
    expect(computeTradeLevels('LONG', 100, 2, CFG)).toEqual({
      entryPrice: 100,
      stopLoss: 97,
      takeProfit: 105,
      risk: 3,
      riskReward: 2.5 / 1.5,
    });
    expect(computeTradeLevels('SHORT', 100, 2, CFG)).toEqual({
      entryPrice: 100,
      stopLoss: 103,
      takeProfit: 95,
      risk: 3,
      riskReward: 2.5 / 1.5,
    });
  });

  it('gives no levels without a positive ATR', () => {
    expect(computeTradeLevels('LONG', 100, 0, CFG)).toBeNull();
    expect(computeTradeLevels('LONG', 100, null, CFG)).toBeNull();
  });
});
