import { ControlTarget, answerControlMessage } from './stream-control';

/** A connection's state, as the control messages see it. */
class FakeConnection implements ControlTarget {
  combined = false;
  readonly streams: string[] = [];
  constructor(readonly maxStreams = 1024) {}
  subscriptions(): string[] {
    return [...this.streams];
  }
  subscribe(names: readonly string[]): void {
    for (const n of names) if (!this.streams.includes(n)) this.streams.push(n);
  }
  unsubscribe(names: readonly string[]): void {
    for (const n of names) if (this.streams.includes(n)) this.streams.splice(this.streams.indexOf(n), 1);
  }
}

const answer = (message: unknown, target = new FakeConnection()) =>
  JSON.parse(
    answerControlMessage(typeof message === 'string' ? message : JSON.stringify(message), target),
  ) as unknown;

describe('answerControlMessage', () => {
  it('subscribes, lists in subscription order, ignores duplicates and unsubscribes', () => {
    const c = new FakeConnection();
    expect(
      answer({ method: 'SUBSCRIBE', params: ['btcusdt@kline_1m', 'ethusdt@kline_5m'], id: 1 }, c),
    ).toEqual({ result: null, id: 1 });
    expect(answer({ method: 'SUBSCRIBE', params: ['btcusdt@kline_1m'], id: 2 }, c)).toEqual({
      result: null,
      id: 2,
    });
    expect(answer({ method: 'LIST_SUBSCRIPTIONS', id: 3 }, c)).toEqual({
      result: ['btcusdt@kline_1m', 'ethusdt@kline_5m'],
      id: 3,
    });
    expect(
      answer({ method: 'UNSUBSCRIBE', params: ['btcusdt@kline_1m', 'solusdt@kline_1m'], id: 4 }, c),
    ).toEqual({ result: null, id: 4 });
    expect(c.streams).toEqual(['ethusdt@kline_5m']);
  });

  it('reads and sets the combined property', () => {
    const c = new FakeConnection();
    expect(answer({ method: 'GET_PROPERTY', params: ['combined'], id: 1 }, c)).toEqual({
      result: false,
      id: 1,
    });
    expect(answer({ method: 'SET_PROPERTY', params: ['combined', true], id: 2 }, c)).toEqual({
      result: null,
      id: 2,
    });
    expect(c.combined).toBe(true);
  });

  it.each([
    ['invalid JSON', '{"method": "SUBSCRIBE",', 3, /^Invalid JSON: expected value at line 1 column \d+$/],
    ['an unknown property', { method: 'GET_PROPERTY', params: ['speed'], id: 1 }, 0, /^Unknown property$/],
    [
      'a non-Boolean value',
      { method: 'SET_PROPERTY', params: ['combined', 'yes'], id: 1 },
      1,
      /^Invalid value type: expected Boolean$/,
    ],
    [
      'a property name that is not a string',
      { method: 'GET_PROPERTY', params: [7], id: 1 },
      2,
      /property name must be a string/,
    ],
    [
      'too many parameters',
      { method: 'GET_PROPERTY', params: ['combined', true], id: 1 },
      2,
      /too many parameters/,
    ],
    ['a missing method', { params: [], id: 1 }, 2, /missing field `method`/],
    ['an unknown method', { method: 'PING', id: 1 }, 2, /unknown variant `PING`/],
    ['a bad request id', { method: 'LIST_SUBSCRIPTIONS', id: 'has space' }, 2, /request ID/],
    ['a fractional request id', { method: 'LIST_SUBSCRIPTIONS', id: 1.5 }, 2, /request ID/],
    [
      'an invalid stream name',
      { method: 'SUBSCRIBE', params: ['BTCUSDT@kline_1m'], id: 1 },
      2,
      /^Invalid request: invalid stream$/,
    ],
    [
      'a stream type the simulator does not serve',
      { method: 'SUBSCRIBE', params: ['btcusdt@aggTrade'], id: 1 },
      2,
      /invalid stream/,
    ],
  ])('answers %s with error code %i', (_case, message, code, msg) => {
    const reply = answer(message) as { error: { code: number; msg: string } };
    expect(reply.error.code).toBe(code);
    expect(reply.error.msg).toMatch(msg);
  });

  it('echoes string, null and large integer ids', () => {
    expect(answer({ method: 'LIST_SUBSCRIPTIONS', id: 'abc123' })).toEqual({ result: [], id: 'abc123' });
    expect(answer({ method: 'LIST_SUBSCRIPTIONS', id: null })).toEqual({ result: [], id: null });
    expect(answer({ method: 'LIST_SUBSCRIPTIONS', id: -9007199254740991 })).toEqual({
      result: [],
      id: -9007199254740991,
    });
  });

  it('refuses a SUBSCRIBE that would pass the stream limit and subscribes none of it', () => {
    const c = new FakeConnection(2);
    answer({ method: 'SUBSCRIBE', params: ['aaausdt@kline_1m'], id: 1 }, c);
    const reply = answer(
      { method: 'SUBSCRIBE', params: ['aaausdt@kline_1m', 'bbbusdt@kline_1m', 'cccusdt@kline_1m'], id: 2 },
      c,
    );
    expect(reply).toEqual({
      error: { code: 2, msg: 'Invalid request: too many streams: at most 2 streams per connection' },
      id: 2,
    });
    expect(c.streams).toEqual(['aaausdt@kline_1m']);
    expect(
      answer({ method: 'SUBSCRIBE', params: ['aaausdt@kline_1m', 'bbbusdt@kline_1m'], id: 3 }, c),
    ).toEqual({ result: null, id: 3 });
  });
});
