import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  CONDITION_KEYS,
  INDICATOR_KEYS,
  type AlertChannel,
  type AlertDelivery,
  type AlertRule,
  type AlertTestResult,
  type Signal,
} from '@scanner/contracts';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { InvalidRequestError } from '../common';
import { AppConfig } from '../config';
import { AlertChannelSender } from './alert-channels';
import { RULE_KEY_PREFIX } from './alert-delivery.service';
import { AlertDeliveryEntity, AlertRuleEntity } from './alert-rule.entity';
import { maskSecrets, parseAlertRuleInput, type AlertRuleFields } from './alert-rule.validation';
import { NotificationDeliveryEntity } from './notification-delivery.entity';

/** Id of the default rule made of the NOTIFY_* / TELEGRAM_* environment variables. */
export const ENV_RULE_ID = 'env';

export class AlertRuleNotFoundError extends NotFoundException {
  constructor(readonly id: string) {
    super(`alert rule ${JSON.stringify(id.slice(0, 100))} not found`);
  }
}

class ReadOnlyRuleError extends InvalidRequestError {
  constructor() {
    super(
      'The default rule comes from the environment (NOTIFY_MIN_CONFIDENCE, NOTIFY_WEBHOOK_URL, NOTIFY_WEBHOOK_SECRET, TELEGRAM_BOT_TOKEN, TELEGRAM_CHAT_ID): change it there, or add a rule of your own',
    );
  }
}

class UnknownChannelError extends InvalidRequestError {
  constructor(ruleId: string, channelId: string) {
    super(`channelId: rule ${ruleId} has no channel ${channelId}`);
  }
}

const toRule = (entity: AlertRuleEntity): AlertRule => ({
  id: entity.id,
  name: entity.name,
  enabled: entity.enabled,
  symbols: entity.symbols,
  symbolPattern: entity.symbolPattern,
  timeframes: entity.timeframes,
  direction: entity.direction,
  minConfidence: entity.minConfidence,
  minPTarget: entity.minPTarget,
  minAgreeingTimeframes: entity.minAgreeingTimeframes,
  events: entity.events,
  cooldownMinutes: entity.cooldownMinutes,
  channels: maskSecrets(entity.channels),
  readOnly: false,
  createdAt: entity.createdAt.toISOString(),
  updatedAt: entity.updatedAt.toISOString(),
});

const toDelivery = (row: AlertDeliveryEntity): AlertDelivery => ({
  idempotencyKey: row.idempotencyKey,
  ruleId: row.ruleId,
  channelId: row.channelId,
  channelType: row.channelType,
  event: row.event,
  eventSeq: row.eventSeq,
  signalId: row.signalId,
  symbol: row.symbol,
  timeframe: row.timeframe,
  direction: row.direction,
  status: row.status,
  reason: row.reason,
  attempts: row.attempts,
  log: row.log,
  confluence: row.confluence,
  createdAt: row.createdAt.toISOString(),
  sentAt: row.sentAt?.toISOString() ?? null,
});

/**
 * Alert rules (alert_rules) for the admin API: create, read, update, delete, the delivery log of each
 * (alert_deliveries; the default rule's from notification_deliveries) and "send test". Planning and
 * sending the deliveries of signal events is AlertDeliveryService's.
 */
@Injectable()
export class AlertRulesAdminService {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sender: AlertChannelSender,
  ) {}

  /** The default (environment) rule first when it has a channel, then the stored rules by name. */
  async list(): Promise<AlertRule[]> {
    const stored = await this.dataSource
      .getRepository(AlertRuleEntity)
      .find({ order: { name: 'ASC', id: 'ASC' } });
    const env = this.envRule();
    return [...(env === null ? [] : [env]), ...stored.map(toRule)];
  }

  async get(id: string): Promise<AlertRule> {
    if (id === ENV_RULE_ID) {
      const env = this.envRule();
      if (env === null) throw new AlertRuleNotFoundError(id);
      return env;
    }
    return toRule(await this.entity(id));
  }

  async create(body: unknown): Promise<AlertRule> {
    const fields = parseAlertRuleInput(body, this.config.scanTimeframes);
    const now = new Date();
    const entity = Object.assign(new AlertRuleEntity(), fields, {
      id: randomUUID(),
      createdAt: now,
      updatedAt: now,
    });
    await this.dataSource.getRepository(AlertRuleEntity).insert(entity);
    return toRule(entity);
  }

  async update(id: string, body: unknown): Promise<AlertRule> {
    if (id === ENV_RULE_ID) throw new ReadOnlyRuleError();
    const existing = await this.entity(id);
    const fields = parseAlertRuleInput(body, this.config.scanTimeframes, existing);
    const updated = Object.assign(existing, fields, { updatedAt: new Date() });
    await this.dataSource.getRepository(AlertRuleEntity).save(updated);
    return toRule(updated);
  }

  /** Deletes the rule and its delivery log; pending deliveries are dropped. */
  async remove(id: string): Promise<void> {
    if (id === ENV_RULE_ID) throw new ReadOnlyRuleError();
    const result = await this.dataSource.getRepository(AlertRuleEntity).delete({ id });
    if (!result.affected) throw new AlertRuleNotFoundError(id);
  }

  /** The newest deliveries of a rule (the default rule's from notification_deliveries). */
  async deliveries(id: string, limit = 100): Promise<AlertDelivery[]> {
    if (id === ENV_RULE_ID) return this.envDeliveries(limit);
    await this.entity(id);
    const rows = await this.dataSource.getRepository(AlertDeliveryEntity).find({
      where: { ruleId: id },
      order: { createdAt: 'DESC', idempotencyKey: 'DESC' },
      take: limit,
    });
    return rows.map(toDelivery);
  }

  /** Sends a sample alert to the rule's channels (or one of them) now, once each, and logs it. */
  async sendTest(id: string, channelId: string | null, now: Date = new Date()): Promise<AlertTestResult[]> {
    const rule =
      id === ENV_RULE_ID
        ? this.envRuleWithSecrets()
        : await this.entity(id).then((entity) => ({ ...entity, channels: entity.channels }));
    if (rule === null) throw new AlertRuleNotFoundError(id);
    const channels = channelId === null ? rule.channels : rule.channels.filter((c) => c.id === channelId);
    if (channels.length === 0 && channelId !== null) throw new UnknownChannelError(id, channelId);
    const signal = sampleSignal(rule, now, this.config.scanTimeframes[0] ?? '5m');
    const results: AlertTestResult[] = [];
    for (const channel of channels) {
      const idempotencyKey = `${RULE_KEY_PREFIX}${rule.id}:test:${now.getTime()}:${channel.id}`;
      const attempt = await this.sender.send(
        channel,
        {
          event: 'test',
          rule: { id: rule.id, name: rule.name },
          seq: null,
          idempotencyKey,
          signal,
          confluence: null,
        },
        now,
      );
      if (id !== ENV_RULE_ID) {
        await this.dataSource
          .getRepository(AlertDeliveryEntity)
          .createQueryBuilder()
          .insert()
          .values({
            idempotencyKey,
            ruleId: rule.id,
            channelId: channel.id,
            channelType: channel.type,
            event: 'test',
            eventSeq: null,
            signalId: null,
            symbol: signal.symbol,
            timeframe: signal.timeframe,
            direction: signal.direction,
            signalTime: null,
            status: attempt.ok ? 'sent' : 'failed',
            reason: null,
            attempts: 1,
            log: [attempt],
            confluence: null,
            sentAt: attempt.ok ? now : null,
          })
          .orIgnore()
          .execute();
      }
      results.push({
        channelId: channel.id,
        channelType: channel.type,
        ok: attempt.ok,
        status: attempt.status,
        answer: attempt.answer,
      });
    }
    return results;
  }

  // ---- internals ---------------------------------------------------------------------------------

  private async entity(id: string): Promise<AlertRuleEntity> {
    const entity = await this.dataSource.getRepository(AlertRuleEntity).findOneBy({ id });
    if (entity === null) throw new AlertRuleNotFoundError(id);
    return entity;
  }

  /** The environment's rule with its secrets (for sending), or null when no channel is configured. */
  private envRuleWithSecrets(): (AlertRuleFields & { id: string }) | null {
    const channels: AlertChannel[] = [];
    if (this.config.notifyWebhookUrl !== null)
      channels.push({
        id: 'webhook',
        type: 'webhook',
        url: this.config.notifyWebhookUrl,
        secret: this.config.notifyWebhookSecret,
        bodyTemplate: null,
      });
    if (this.config.telegramBotToken !== null && this.config.telegramChatId !== null)
      channels.push({
        id: 'telegram',
        type: 'telegram',
        botToken: this.config.telegramBotToken,
        chatId: this.config.telegramChatId,
      });
    if (channels.length === 0) return null;
    return {
      id: ENV_RULE_ID,
      name: 'Default (environment)',
      enabled: true,
      symbols: [],
      symbolPattern: null,
      timeframes: [],
      direction: 'ANY',
      minConfidence: this.config.notifyMinConfidence,
      minPTarget: null,
      minAgreeingTimeframes: 1,
      events: ['created', 'closed'],
      cooldownMinutes: 0,
      channels,
    };
  }

  private envRule(): AlertRule | null {
    const rule = this.envRuleWithSecrets();
    if (rule === null) return null;
    const epoch = new Date(0).toISOString();
    return {
      ...rule,
      channels: maskSecrets(rule.channels),
      readOnly: true,
      createdAt: epoch,
      updatedAt: epoch,
    };
  }

  private async envDeliveries(limit: number): Promise<AlertDelivery[]> {
    if (this.envRule() === null) throw new AlertRuleNotFoundError(ENV_RULE_ID);
    const rows = await this.dataSource.getRepository(NotificationDeliveryEntity).find({
      order: { eventSeq: 'DESC', idempotencyKey: 'ASC' },
      take: limit,
    });
    return rows.map((row) => ({
      idempotencyKey: row.idempotencyKey,
      ruleId: ENV_RULE_ID,
      channelId: row.channel,
      channelType: row.channel === 'telegram' ? 'telegram' : 'webhook',
      event: 'created',
      eventSeq: row.eventSeq,
      signalId: null,
      symbol: null,
      timeframe: null,
      direction: null,
      status: row.status === 'delivered' ? 'sent' : row.status,
      reason: row.lastError,
      attempts: row.attempts,
      log: [],
      confluence: null,
      createdAt: (row.deliveredAt ?? new Date(0)).toISOString(),
      sentAt: row.deliveredAt?.toISOString() ?? null,
    }));
  }
}

/** A sample signal for "send test": the rule's first symbol and timeframe (else a scanned one), its direction, now. */
function sampleSignal(
  rule: Pick<AlertRuleFields, 'symbols' | 'timeframes' | 'direction'>,
  now: Date,
  scannedTimeframe: string,
): Signal {
  const at = new Date(Math.floor(now.getTime() / 1000) * 1000).toISOString();
  return {
    id: `test-${now.getTime()}`,
    symbol: rule.symbols[0] ?? 'BTCUSDT',
    timeframe: rule.timeframes[0] ?? scannedTimeframe,
    direction: rule.direction === 'SHORT' ? 'SHORT' : 'LONG',
    status: 'ACTIVE',
    confidence: 90,
    initialConfidence: 90,
    entryPrice: 100,
    stopLoss: rule.direction === 'SHORT' ? 103 : 97,
    takeProfit: rule.direction === 'SHORT' ? 95 : 105,
    riskReward: 2.5 / 1.5,
    conditions: CONDITION_KEYS.map((key) => ({ key, met: true, weight: 12.5, detail: 'sample' })),
    indicators: Object.fromEntries(INDICATOR_KEYS.map((key) => [key, null])),
    candleOpenTime: at,
    createdAt: at,
    updatedAt: at,
    closedAt: null,
    exitPrice: null,
    outcomeR: null,
    netR: null,
    resolution: null,
    origin: 'live',
    pTarget: null,
    pTargetSamples: 0,
    pTargetNote: 'sample',
    version: 1,
  } as unknown as Signal;
}
