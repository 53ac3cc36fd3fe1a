import { decodeCursor, encodeCursor, InvalidCursorError } from './signal-cursor';
import { planSignalList } from './signal-list.query-plan';

describe('planSignalList', () => {
  it('without filters sorts by confidence, highest first, id as the tie-breaker', () => {
    expect(planSignalList({}, null)).toEqual({
      where: [],
      params: {},
      orderBy: [
        ['s.confidence', 'DESC'],
        ['s.id', 'DESC'],
      ],
    });
  });

  it('ANDs every filter with a named parameter; CLOSED means any closing status', () => {
    const plan = planSignalList(
      {
        status: 'CLOSED',
        direction: 'SHORT',
        timeframe: '15m',
        minConfidence: 80,
        symbol: 'ETHUSDT',
        origin: 'live',
      },
      null,
    );
    expect(plan.where).toEqual([
      's.status IN (:...closedStatuses)',
      's.direction = :direction',
      's.timeframe = :timeframe',
      's.confidence >= :minConfidence',
      's.symbol = :symbol',
      's.origin = :origin',
    ]);
    expect(plan.params).toEqual({
      closedStatuses: ['TP_HIT', 'SL_HIT', 'INVALIDATED', 'EXPIRED', 'CANCELLED'],
      direction: 'SHORT',
      timeframe: '15m',
      minConfidence: 80,
      symbol: 'ETHUSDT',
      origin: 'live',
    });
    expect(planSignalList({ status: 'ACTIVE' }, null)).toMatchObject({
      where: ['s.status = :status'],
      params: { status: 'ACTIVE' },
    });
  });

  it('continues after the cursor row in the sort direction (keyset, no OFFSET)', () => {
    const latest = planSignalList({ sort: 'latest' }, { sort: 'latest', key: 1722816299999, id: 'B' });
    expect(latest.where).toEqual([
      '(s.createdAt < :cursorKey OR (s.createdAt = :cursorKey AND s.id < :cursorId))',
    ]);
    expect(latest.params).toEqual({ cursorKey: new Date(1722816299999), cursorId: 'B' });
    expect(latest.orderBy).toEqual([
      ['s.createdAt', 'DESC'],
      ['s.id', 'DESC'],
    ]);
    const bySymbol = planSignalList(
      { sort: 'symbol' },
      { sort: 'symbol', key: 'BTCUSDT', id: 'BTCUSDT-5m-1-LONG' },
    );
    expect(bySymbol.where).toEqual([
      '(s.symbol > :cursorKey OR (s.symbol = :cursorKey AND s.id > :cursorId))',
    ]);
    expect(bySymbol.orderBy).toEqual([
      ['s.symbol', 'ASC'],
      ['s.id', 'ASC'],
    ]);
  });
});

describe('signal cursor', () => {
  it('round-trips and is opaque', () => {
    const raw = encodeCursor({ sort: 'confidence', key: 85, id: 'BTCUSDT-5m-1-LONG' });
    expect(raw).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(raw, 'confidence')).toEqual({ sort: 'confidence', key: 85, id: 'BTCUSDT-5m-1-LONG' });
  });

  it('rejects garbage, a forged key type and a cursor of another sort', () => {
    expect(() => decodeCursor('not-a-cursor', 'confidence')).toThrow(InvalidCursorError);
    expect(() =>
      decodeCursor(Buffer.from('["confidence","x","id"]').toString('base64url'), 'confidence'),
    ).toThrow(InvalidCursorError);
    const latest = encodeCursor({ sort: 'latest', key: 1, id: 'a' });
    expect(() => decodeCursor(latest, 'symbol')).toThrow('was made for sort=latest, not sort=symbol');
  });
});
