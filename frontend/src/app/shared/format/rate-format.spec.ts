import { makeRate } from '@app/testing/make-quality';
import { formatInterval, formatRateDetail, formatRateValue, pTargetText, pTargetTitle } from './rate-format';

describe('rate format', () => {
  it('shows a rate with its count and Wilson interval, and a dash when nothing was counted', () => {
    const rate = makeRate(20, 40);
    expect(formatRateValue(rate)).toBe('50.0%');
    expect(formatInterval(rate)).toBe('95% CI 35.2–64.8%');
    expect(formatRateDetail(rate)).toBe('20 of 40 · 95% CI 35.2–64.8%');
    expect(formatRateValue(makeRate(0, 0))).toBe('—');
    expect(formatInterval(makeRate(0, 0))).toBe('');
    expect(formatRateDetail(makeRate(0, 0))).toBe('n = 0');
  });

  it('words pTarget with its sample size, or the reason it is missing', () => {
    const fitted = { pTarget: 0.4321, pTargetSamples: 1234, pTargetNote: null, timeframe: '5m' };
    expect(pTargetText(fitted)).toBe('43%');
    expect(pTargetTitle(fitted)).toBe(
      '43% chance of reaching the target before the stop, from 1,234 closed signals on 5m',
    );
    const none = {
      pTarget: null,
      pTargetSamples: 0,
      pTargetNote: '12 of 200 closes on 1h so far',
      timeframe: '1h',
    };
    expect(pTargetText(none)).toBe('—');
    expect(pTargetTitle(none)).toBe('No probability yet: 12 of 200 closes on 1h so far');
  });
});
