import { gapLines } from './candle-gaps';

describe('gapLines', () => {
  it('shows each hole in UTC, newest first as sent, with the count of missing candles', () => {
    const lines = gapLines({
      gaps: [
        {
          interval: '5m',
          from: '2024-08-05T02:00:00.000Z',
          to: '2024-08-05T03:00:00.000Z',
          missingCandles: 12,
          detectedAt: '2024-08-05T03:00:05.000Z',
        },
        {
          interval: '1h',
          from: '2024-08-04T23:00:00.000Z',
          to: '2024-08-05T01:00:00.000Z',
          missingCandles: 2,
          detectedAt: '2024-08-05T01:00:05.000Z',
        },
      ],
    });
    expect(lines).toEqual([
      {
        text: '5m 2024-08-05 02:00 → 03:00 UTC',
        title: '12 candles missing (trading suspended), detected 2024-08-05T03:00:05.000Z',
      },
      {
        text: '1h 2024-08-04 23:00 → 2024-08-05 01:00 UTC',
        title: '2 candles missing (trading suspended), detected 2024-08-05T01:00:05.000Z',
      },
    ]);
  });

  it('has nothing to show without gaps (or from a server that does not send them)', () => {
    expect(gapLines({ gaps: [] })).toEqual([]);
    expect(gapLines({})).toEqual([]);
  });
});
