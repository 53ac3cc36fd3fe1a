import type { AlertDelivery, AlertRule } from '@scanner/contracts';
import {
  conditionsText,
  deliveryText,
  draftOf,
  draftProblems,
  emptyDraft,
  inputOf,
  symbolsText,
} from './alert-rule-form';

const rule: AlertRule = {
  id: 'r1',
  name: 'BTC/ETH longs',
  enabled: true,
  symbols: ['BTCUSDT'],
  symbolPattern: 'ETH*',
  timeframes: ['5m', '1h'],
  direction: 'LONG',
  minConfidence: 70,
  minPTarget: 0.55,
  minAgreeingTimeframes: 2,
  events: ['created', 'outcome'],
  cooldownMinutes: 60,
  channels: [
    { id: 'hook', type: 'webhook', url: 'https://example.com/h', secret: '••••••', bodyTemplate: null },
    { id: 'tg', type: 'telegram', botToken: '••••••', chatId: '-100' },
    { id: 'dc', type: 'discord', url: '••••••' },
  ],
  readOnly: false,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

describe('alert rule form', () => {
  it('round-trips a rule through the form, masked secrets included', () => {
    const input = inputOf(draftOf(rule));
    expect(input).toEqual({
      name: 'BTC/ETH longs',
      enabled: true,
      symbols: ['BTCUSDT'],
      symbolPattern: 'ETH*',
      timeframes: ['5m', '1h'],
      direction: 'LONG',
      minConfidence: 70,
      minPTarget: 0.55,
      minAgreeingTimeframes: 2,
      events: ['created', 'outcome'],
      cooldownMinutes: 60,
      channels: [
        { id: 'hook', type: 'webhook', url: 'https://example.com/h', secret: '••••••', bodyTemplate: null },
        { id: 'tg', type: 'telegram', botToken: '••••••', chatId: '-100' },
        { id: 'dc', type: 'discord', url: '••••••' },
      ],
    });
  });

  it('parses typed lists and numbers; an empty number goes as NaN (null on the wire) for the server to name', () => {
    const draft = {
      ...emptyDraft(),
      name: ' x ',
      symbols: 'btcusdt, ethusdt  sol',
      minConfidence: '',
      minPTarget: ' ',
    };
    const input = inputOf(draft);
    expect(input.symbols).toEqual(['BTCUSDT', 'ETHUSDT', 'SOL']);
    expect(input.name).toBe('x');
    expect(input.minConfidence).toBeNaN();
    expect(input.minPTarget).toBeNull();
    expect(input.channels).toEqual([{ type: 'webhook', url: '', secret: null, bodyTemplate: null }]);
  });

  it('names the fields it can tell are wrong before saving', () => {
    expect(draftProblems(draftOf(rule))).toEqual([]);
    expect(
      draftProblems({
        ...emptyDraft(),
        minConfidence: '',
        cooldownMinutes: 'soon',
        events: [],
        channels: [],
      }),
    ).toEqual([
      'Minimum confidence: enter a number',
      'Cooldown: enter a number',
      'Events: choose at least one',
      'Channels: add at least one',
    ]);
  });

  it('summarises a rule in words', () => {
    expect(symbolsText(rule)).toBe('BTCUSDT · ETH*');
    expect(symbolsText({ symbols: [], symbolPattern: null })).toBe('all symbols');
    expect(conditionsText(rule)).toBe(
      'LONG ≥ 70% · 2 timeframes agree · pTarget ≥ 0.55 · cooldown 60 min · 5m, 1h',
    );
  });

  it('says what happened to a delivery', () => {
    const base: AlertDelivery = {
      idempotencyKey: 'k',
      ruleId: 'r1',
      channelId: 'hook',
      channelType: 'webhook',
      event: 'created',
      eventSeq: 1,
      signalId: 's',
      symbol: 'BTCUSDT',
      timeframe: '5m',
      direction: 'LONG',
      status: 'sent',
      reason: null,
      attempts: 1,
      log: [{ at: '2026-01-01T00:00:00.000Z', ok: true, status: 200, answer: 'ok' }],
      confluence: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      sentAt: '2026-01-01T00:00:00.000Z',
    };
    expect(deliveryText(base)).toBe('sent');
    expect(deliveryText({ ...base, attempts: 2 })).toBe('sent after 2 attempts');
    expect(
      deliveryText({
        ...base,
        status: 'pending',
        attempts: 1,
        log: [{ at: '', ok: false, status: 503, answer: 'down' }],
      }),
    ).toBe('retrying (1 failed; HTTP 503: down)');
    expect(deliveryText({ ...base, status: 'failed', reason: 'gave up after 6 attempts' })).toBe(
      'gave up after 6 attempts',
    );
    expect(deliveryText({ ...base, status: 'suppressed', reason: 'cooldown: …' })).toBe('cooldown: …');
  });
});
