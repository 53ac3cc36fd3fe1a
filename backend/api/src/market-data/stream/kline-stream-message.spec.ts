import { InvalidStreamMessageError, klineStreamName, parseStreamMessage } from './kline-stream-message';

const kline = (overrides: Record<string, unknown> = {}, k: Record<string, unknown> = {}) =>
  JSON.stringify({
    stream: 'btcusdt@kline_5m',
    data: {
      e: 'kline',
      E: 1722816300123,
      s: 'BTCUSDT',
      k: {
        t: 1722816000000,
        T: 1722816299999,
        s: 'BTCUSDT',
        i: '5m',
        f: 1,
        L: 2,
        o: '100.5',
        c: '101',
        h: '102',
        l: '99',
        v: '12.5',
        n: 2,
        x: true,
        q: '1260',
        V: '1',
        Q: '100',
        B: '0',
        ...k,
      },
      ...overrides,
    },
  });

describe('parseStreamMessage', () => {
  it('reads a final kline of a combined stream into a candle', () => {
    const message = parseStreamMessage(kline());
    expect(message).toEqual({
      kind: 'kline',
      update: {
        stream: 'btcusdt@kline_5m',
        symbol: 'BTCUSDT',
        interval: '5m',
        eventTime: 1722816300123,
        final: true,
        candle: {
          openTime: 1722816000000,
          closeTime: 1722816299999,
          open: 100.5,
          high: 102,
          low: 99,
          close: 101,
          volume: 12.5,
          quoteVolume: 1260,
        },
      },
    });
  });

  it('tells replies, errors and serverShutdown apart from klines', () => {
    expect(parseStreamMessage('{"result":null,"id":3}')).toEqual({ kind: 'reply', id: 3, result: null });
    expect(parseStreamMessage('{"error":{"code":2,"msg":"Invalid request: invalid stream"},"id":4}')).toEqual(
      {
        kind: 'error',
        id: 4,
        code: 2,
        msg: 'Invalid request: invalid stream',
      },
    );
    expect(parseStreamMessage('{"stream":"!serverShutdown","data":{"e":"serverShutdown","E":5}}')).toEqual({
      kind: 'serverShutdown',
      eventTime: 5,
    });
  });

  it.each([
    ['a price that is not a decimal string', {}, { o: 100.5 }, '`k.o` is not a decimal string'],
    ['a close time that does not end the interval', {}, { T: 1722816299000 }, 'close time'],
    ['an open time off the interval grid', {}, { t: 1722816000001, T: 1722816300000 }, 'boundary'],
    ['a high below the close', {}, { h: '100.9' }, 'high/low'],
    ['a missing x flag', {}, { x: 'true' }, '`k.x`'],
    ['a payload for another symbol than its stream', {}, { s: 'ETHUSDT' }, 'not the stream it came on'],
    ['an unknown interval', {}, { i: '7m' }, 'unsupported interval'],
  ])('refuses %s, naming it', (_what, outer, inner, reason) => {
    expect(() => parseStreamMessage(kline(outer, inner))).toThrow(InvalidStreamMessageError);
    expect(() => parseStreamMessage(kline(outer, inner))).toThrow(reason);
  });

  it('refuses text that is not JSON', () => {
    expect(() => parseStreamMessage('nope')).toThrow('not JSON');
  });

  it('names streams with lower-case symbols', () => {
    expect(klineStreamName('BTCUSDT', '1h')).toBe('btcusdt@kline_1h');
  });
});
