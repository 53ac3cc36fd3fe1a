import { ALERT_SECRET_MASK, type AlertAttempt, type AlertChannel } from '@scanner/contracts';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config';
import type { AlertChannelSender, AlertMessage } from './alert-channels';
import { AlertRuleNotFoundError, AlertRulesAdminService, ENV_RULE_ID } from './alert-rules-admin.service';

/** The default rule lives in the environment: none of these paths reads or writes the database. */
const noDatabase = new Proxy({} as DataSource, {
  get: (_, name) => {
    throw new Error(`the database was used (${String(name)})`);
  },
});

const ENV = {
  scanTimeframes: ['15m', '1h'],
  notifyMinConfidence: 75,
  notifyWebhookUrl: 'https://example.com/hook',
  notifyWebhookSecret: 'hook-secret',
  telegramBotToken: '123:token',
  telegramChatId: '-100123',
} as unknown as AppConfig;

function admin(config: AppConfig = ENV) {
  const sent: Array<{ channel: AlertChannel; message: AlertMessage; now: Date | undefined }> = [];
  const sender = {
    send: async (channel: AlertChannel, message: AlertMessage, now?: Date): Promise<AlertAttempt> => {
      sent.push({ channel, message, now });
      return channel.type === 'webhook'
        ? { at: now!.toISOString(), ok: true, status: 200, answer: 'ok' }
        : { at: now!.toISOString(), ok: false, status: 401, answer: 'Unauthorized' };
    },
  } as unknown as AlertChannelSender;
  return { service: new AlertRulesAdminService(config, noDatabase, sender), sent };
}

describe('AlertRulesAdminService: the default rule from the environment', () => {
  it('is read-only, from NOTIFY_* and TELEGRAM_*, with its secrets masked', async () => {
    const { service } = admin();
    const rule = await service.get(ENV_RULE_ID);
    expect(rule).toMatchObject({
      id: ENV_RULE_ID,
      readOnly: true,
      minConfidence: 75,
      events: ['created', 'closed'],
      cooldownMinutes: 0,
    });
    expect(rule.channels).toEqual([
      expect.objectContaining({ id: 'webhook', type: 'webhook', secret: ALERT_SECRET_MASK }),
      expect.objectContaining({ id: 'telegram', type: 'telegram', botToken: ALERT_SECRET_MASK }),
    ]);
    await expect(service.update(ENV_RULE_ID, { name: 'x' })).rejects.toThrow(/comes from the environment/);
    await expect(service.remove(ENV_RULE_ID)).rejects.toThrow(/comes from the environment/);
  });

  it('does not exist without a configured channel', async () => {
    const { service } = admin({
      ...ENV,
      notifyWebhookUrl: null,
      telegramBotToken: null,
    } as unknown as AppConfig);
    await expect(service.get(ENV_RULE_ID)).rejects.toBeInstanceOf(AlertRuleNotFoundError);
    await expect(service.sendTest(ENV_RULE_ID, null)).rejects.toBeInstanceOf(AlertRuleNotFoundError);
  });

  it('sends a test to each channel with the real secrets, or to the one asked for, and reports each answer', async () => {
    const { service, sent } = admin();
    const now = new Date('2026-12-02T10:00:00.250Z');
    const results = await service.sendTest(ENV_RULE_ID, null, now);
    expect(results).toEqual([
      { channelId: 'webhook', channelType: 'webhook', ok: true, status: 200, answer: 'ok' },
      { channelId: 'telegram', channelType: 'telegram', ok: false, status: 401, answer: 'Unauthorized' },
    ]);
    expect(sent.map((s) => s.channel)).toEqual([
      expect.objectContaining({ id: 'webhook', secret: 'hook-secret' }),
      expect.objectContaining({ id: 'telegram', botToken: '123:token', chatId: '-100123' }),
    ]);
    const [{ message }] = sent;
    expect(message).toMatchObject({
      event: 'test',
      rule: { id: ENV_RULE_ID },
      seq: null,
      idempotencyKey: `rule:${ENV_RULE_ID}:test:${now.getTime()}:webhook`,
      confluence: null,
    });
    // A sample signal on a scanned timeframe, on the whole second.
    expect(message.signal).toMatchObject({
      symbol: 'BTCUSDT',
      timeframe: '15m',
      direction: 'LONG',
      createdAt: '2026-12-02T10:00:00.000Z',
    });

    sent.length = 0;
    expect(await service.sendTest(ENV_RULE_ID, 'telegram', now)).toHaveLength(1);
    expect(sent.map((s) => s.channel.id)).toEqual(['telegram']);
    await expect(service.sendTest(ENV_RULE_ID, 'discord', now)).rejects.toThrow(
      `channelId: rule ${ENV_RULE_ID} has no channel discord`,
    );
  });
});
