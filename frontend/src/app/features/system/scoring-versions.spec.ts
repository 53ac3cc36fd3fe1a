import type { ScoringVersion } from '@scanner/contracts';
import { makeScoringConfig } from '@app/testing/make-scoring-config';
import { activateQuestion, changeLines, versionSummary } from './scoring-versions';

const version = (id: number, active: boolean): ScoringVersion => ({
  id,
  active,
  note: '',
  createdAt: '2024-08-04T00:00:00.000Z',
  activatedAt: active ? '2024-08-04T00:00:00.000Z' : null,
  config: makeScoringConfig(),
});

describe('scoring versions on the system page', () => {
  it('summarises the settings read first', () => {
    expect(versionSummary(version(1, true))).toBe(
      'min confidence 70 · SL 1.5 ATR · TP 2.5 ATR · expiry 12 candles',
    );
  });

  it('writes each change from the active version to this one, unset ones named', () => {
    expect(
      changeLines([
        { path: 'minConfidence', from: 70, to: 65 },
        { path: 'trailingStop', from: false, to: true },
        { path: 'weights.htf_trend', from: null, to: 5 },
      ]),
    ).toEqual(['minConfidence: 70 → 65', 'trailingStop: false → true', 'weights.htf_trend: (unset) → 5']);
  });

  it('asks before activating, naming both versions', () => {
    expect(activateQuestion(version(2, false), version(1, true))).toBe(
      'Activate scoring version 2 (replacing version 1)? Engines score with it from their next candle; new signals record version 2.',
    );
  });
});
