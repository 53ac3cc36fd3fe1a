import { ALERT_SECRET_MASK, type AlertRule, type Signal, type SignalConfluence } from '@scanner/contracts';
import { discordPayload, renderTemplate, templateValues, type AlertMessage } from './alert-channels';
import {
  describeConfluence,
  filterMiss,
  matchesSymbol,
  ruleEventOf,
  storedConfluence,
  symbolPatternRegex,
} from './alert-rule.matching';
import {
  InvalidAlertRuleError,
  maskSecrets,
  parseAlertRuleInput,
  unknownPlaceholders,
} from './alert-rule.validation';

const TIMEFRAMES = ['5m', '15m', '1h'];

const rule = (overrides: Partial<AlertRule> = {}): AlertRule => ({
  id: 'r1',
  name: 'rule',
  enabled: true,
  symbols: [],
  symbolPattern: null,
  timeframes: [],
  direction: 'ANY',
  minConfidence: 0,
  minPTarget: null,
  minAgreeingTimeframes: 1,
  events: ['created'],
  cooldownMinutes: 0,
  channels: [],
  readOnly: false,
  createdAt: '',
  updatedAt: '',
  ...overrides,
});

const signal = (overrides: Partial<Signal> = {}): Signal =>
  ({
    id: 's1',
    symbol: 'BTCUSDT',
    timeframe: '5m',
    direction: 'LONG',
    status: 'ACTIVE',
    confidence: 80,
    initialConfidence: 80,
    pTarget: null,
    entryPrice: 100,
    stopLoss: 97,
    takeProfit: 105,
    riskReward: 1.67,
    createdAt: '2024-08-05T10:00:00.000Z',
    updatedAt: '2024-08-05T10:00:00.000Z',
    closedAt: null,
    exitPrice: null,
    outcomeR: null,
    conditions: [],
    ...overrides,
  }) as Signal;

const confluence = (agreeing: number): SignalConfluence => ({
  timeframe: '5m',
  direction: 'LONG',
  agreeing,
  others: [
    {
      timeframe: '15m',
      activeDirection: null,
      trend: 'above',
      longConfidence: 70,
      shortConfidence: 20,
      asOf: '2024-08-05T10:00:00.000Z',
      stale: false,
      agrees: true,
    },
    {
      timeframe: '1h',
      activeDirection: 'SHORT',
      trend: 'above',
      longConfidence: 40,
      shortConfidence: 60,
      asOf: '2024-08-05T10:00:00.000Z',
      stale: false,
      agrees: false,
    },
  ],
});

describe('parseAlertRuleInput', () => {
  const valid = {
    name: ' BTC longs ',
    symbols: ['btcusdt', 'BTCUSDT'],
    symbolPattern: 'eth*|sol?usdt',
    timeframes: ['5m', '1h'],
    direction: 'LONG',
    minConfidence: 70,
    minPTarget: 0.55,
    minAgreeingTimeframes: 2,
    events: ['created', 'outcome'],
    cooldownMinutes: 60,
    channels: [
      {
        type: 'webhook',
        url: 'https://example.com/hook',
        secret: 's3cret',
        bodyTemplate: '{"t": "{{text}}"}',
      },
      { type: 'telegram', botToken: '123:abc', chatId: -100123 },
      { id: 'disc', type: 'discord', url: 'https://discord.com/api/webhooks/1/x' },
    ],
  };

  it('normalises a valid rule: trimmed name, upper-case unique symbols, defaults, channel ids', () => {
    const parsed = parseAlertRuleInput(valid, TIMEFRAMES);
    expect(parsed).toMatchObject({
      name: 'BTC longs',
      enabled: true,
      symbols: ['BTCUSDT'],
      symbolPattern: 'ETH*|SOL?USDT',
      direction: 'LONG',
      minAgreeingTimeframes: 2,
    });
    expect(parsed.channels.map((c) => c.type)).toEqual(['webhook', 'telegram', 'discord']);
    expect(parsed.channels[0].id).toMatch(/^c[0-9a-f]{8}$/);
    expect(parsed.channels[1]).toMatchObject({ chatId: '-100123' });
    expect(parsed.channels[2].id).toBe('disc');
    expect(parseAlertRuleInput({ name: 'x', channels: valid.channels }, TIMEFRAMES)).toMatchObject({
      direction: 'ANY',
      events: ['created'],
      minConfidence: 0,
      minAgreeingTimeframes: 1,
      cooldownMinutes: 0,
      symbols: [],
      timeframes: [],
    });
  });

  it('names every bad field in one error', () => {
    let error: InvalidAlertRuleError | undefined;
    try {
      parseAlertRuleInput(
        {
          name: '',
          extra: 1,
          symbols: ['BTC-USDT'],
          symbolPattern: '(a+)+',
          timeframes: ['4h'],
          direction: 'UP',
          minConfidence: 101,
          minPTarget: 2,
          minAgreeingTimeframes: 4,
          events: ['opened'],
          cooldownMinutes: 1.5,
          channels: [
            { type: 'webhook', url: 'ftp://x', bodyTemplate: '{{nope}}' },
            { type: 'telegram', botToken: 'x', chatId: 'y' },
            { type: 'sms' },
          ],
        },
        TIMEFRAMES,
      );
    } catch (caught) {
      error = caught as InvalidAlertRuleError;
    }
    expect(error).toBeInstanceOf(InvalidAlertRuleError);
    const fields = error!.issues.map((issue) => issue.split(':')[0].split(' ')[0]);
    expect(fields).toEqual([
      'unknown',
      'name',
      'symbols[0]',
      'symbolPattern',
      'timeframes',
      'direction',
      'minConfidence',
      'minPTarget',
      'minAgreeingTimeframes',
      'events',
      'cooldownMinutes',
      'channels[0].url',
      'channels[0].bodyTemplate',
      'channels[1].botToken',
      'channels[1].chatId',
      'channels[2].type',
    ]);
    expect(error!.message).toContain('{{nope}}');
    expect(() => parseAlertRuleInput([], TIMEFRAMES)).toThrow('the body must be a JSON object');
    expect(() => parseAlertRuleInput({ name: 'x', channels: [] }, TIMEFRAMES)).toThrow(
      /channels: a list of 1 to 10/,
    );
  });

  it('keeps stored secrets sent back masked, and refuses the mask without a stored secret', () => {
    const stored = parseAlertRuleInput(valid, TIMEFRAMES);
    const shown = maskSecrets(stored.channels);
    expect(
      shown.map((c) => (c.type === 'webhook' ? c.secret : c.type === 'telegram' ? c.botToken : c.url)),
    ).toEqual([ALERT_SECRET_MASK, ALERT_SECRET_MASK, ALERT_SECRET_MASK]);
    const again = parseAlertRuleInput({ ...valid, channels: shown }, TIMEFRAMES, stored);
    expect(again.channels).toEqual(stored.channels);
    expect(() =>
      parseAlertRuleInput({ ...valid, channels: [{ ...shown[0], id: 'other' }] }, TIMEFRAMES, stored),
    ).toThrow(/channels\[0\]\.secret: the masked value can only keep a stored secret/);
  });

  it('lists unknown template placeholders', () => {
    expect(unknownPlaceholders('{{symbol}} {{ text }} {{bad}} {{}}')).toEqual(['bad', '']);
  });
});

describe('matching', () => {
  it('matches symbols by list or |-separated glob pattern, everything when neither is set', () => {
    expect(symbolPatternRegex('BTC*|ETH?USDT').source).toBe('^(?:BTC[A-Z0-9]*|ETH[A-Z0-9]USDT)$');
    expect(matchesSymbol(rule(), 'ANYUSDT')).toBe(true);
    expect(matchesSymbol(rule({ symbolPattern: 'BTCUSDT|ETHUSDT' }), 'ETHUSDT')).toBe(true);
    expect(matchesSymbol(rule({ symbolPattern: 'BTCUSDT|ETHUSDT' }), 'ETHUSDTX')).toBe(false);
    expect(matchesSymbol(rule({ symbols: ['SOLUSDT'], symbolPattern: 'BTC*' }), 'SOLUSDT')).toBe(true);
    expect(matchesSymbol(rule({ symbols: ['SOLUSDT'] }), 'BTCUSDT')).toBe(false);
  });

  it('maps signal events to the rule events asked for', () => {
    const all = rule({ events: ['created', 'closed', 'outcome'] });
    expect(ruleEventOf(all, 'created', signal())).toBe('created');
    expect(ruleEventOf(all, 'updated', signal())).toBeNull();
    expect(ruleEventOf(all, 'deleted', signal({ status: 'TP_HIT' }))).toBe('outcome');
    expect(ruleEventOf(all, 'deleted', signal({ status: 'EXPIRED' }))).toBe('closed');
    const outcomes = rule({ events: ['outcome'] });
    expect(ruleEventOf(outcomes, 'deleted', signal({ status: 'SL_HIT' }))).toBe('outcome');
    expect(ruleEventOf(outcomes, 'deleted', signal({ status: 'INVALIDATED' }))).toBeNull();
    expect(ruleEventOf(outcomes, 'created', signal())).toBeNull();
  });

  it('says which filter a signal misses', () => {
    expect(filterMiss(rule(), signal(), null)).toBeNull();
    expect(filterMiss(rule({ timeframes: ['1h'] }), signal(), null)).toBe('timeframe');
    expect(filterMiss(rule({ direction: 'SHORT' }), signal(), null)).toBe('direction');
    expect(filterMiss(rule({ minConfidence: 85 }), signal(), null)).toBe('confidence');
    // Closes are judged on the confidence at creation.
    expect(
      filterMiss(rule({ minConfidence: 75 }), signal({ confidence: 50, initialConfidence: 80 }), null),
    ).toBeNull();
    expect(filterMiss(rule({ minPTarget: 0.5 }), signal(), null)).toBe('pTarget');
    expect(filterMiss(rule({ minPTarget: 0.5 }), signal({ pTarget: 0.6 }), null)).toBeNull();
    expect(filterMiss(rule({ minAgreeingTimeframes: 2 }), signal(), null)).toBe('confluence');
    expect(filterMiss(rule({ minAgreeingTimeframes: 2 }), signal(), confluence(2))).toBeNull();
    expect(filterMiss(rule({ minAgreeingTimeframes: 3 }), signal(), confluence(2))).toBe('confluence');
  });

  it("reads the stored confluence: a value, a replay's null, or undefined for events recorded before it existed", () => {
    expect(storedConfluence(signal({ confluence: confluence(2) }))).toEqual(confluence(2));
    expect(storedConfluence(signal({ confluence: null }))).toBeNull();
    expect(storedConfluence(signal())).toBeUndefined();
  });

  it('describes confluence as arrows, the active signal before the trend, ✓ where it agrees', () => {
    expect(describeConfluence(confluence(2))).toBe('15m ▲✓ 1h ▼');
    expect(describeConfluence(null)).toBe('');
  });
});

describe('channel payloads', () => {
  const message: AlertMessage = {
    event: 'created',
    rule: { id: 'r1', name: 'BTC "longs"' },
    seq: 7,
    idempotencyKey: 'rule:r1:7:c1',
    signal: signal(),
    confluence: confluence(2),
  };

  it('fills a JSON template with JSON-escaped values and a text template with raw ones', () => {
    const values = templateValues(message);
    const json = renderTemplate('{"rule": "{{rule}}", "text": "{{ text }}", "n": {{seq}}}', values);
    expect(JSON.parse(json)).toEqual({ rule: 'BTC "longs"', text: values.text, n: 7 });
    expect(values.text).toContain('\n');
    expect(values.text.split('\n')).toContain('confluence: 15m ▲✓ 1h ▼ (2 of 3 timeframes agree)');
    expect(renderTemplate('{{direction}} {{symbol}} {{confluence}}', values)).toBe(
      'LONG BTCUSDT 15m ▲✓ 1h ▼',
    );
  });

  it('builds Discord content and one embed, coloured by direction, with the confluence', () => {
    const payload = discordPayload(message);
    expect(payload.content).toBe('LONG BTCUSDT 5m — 80%');
    expect(payload.embeds).toHaveLength(1);
    expect(payload.embeds[0]).toMatchObject({ color: 0x2e7d32, timestamp: '2024-08-05T10:00:00.000Z' });
    expect(payload.embeds[0].fields).toContainEqual({
      name: 'Confluence',
      value: '15m ▲✓ 1h ▼',
      inline: false,
    });
    const closed = discordPayload({
      ...message,
      event: 'outcome',
      signal: signal({
        status: 'SL_HIT',
        direction: 'SHORT',
        closedAt: '2024-08-05T11:00:00.000Z',
        outcomeR: -1,
      }),
    });
    expect(closed.content).toBe('BTCUSDT 5m SHORT closed: SL_HIT');
    expect(closed.embeds[0]).toMatchObject({ color: 0xc62828, timestamp: '2024-08-05T11:00:00.000Z' });
  });
});
