import { Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  CONDITION_KEYS,
  INDICATOR_KEYS,
  type AlertChannel,
  type AlertDelivery,
  type AlertEvent,
  type AlertRule,
  type AlertTestResult,
  type Signal,
  type SignalConfluence,
} from '@scanner/contracts';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import { InvalidRequestError } from '../common';
import { AppConfig } from '../config';
import {
  ConfluenceService,
  EngineConfigService,
  type RecordedSignalEvent,
  SignalEventLog,
} from '../signal-engine';
import type { EngineConfig } from '@scanner/signal-core';
import { AlertChannelSender, type AlertMessage } from './alert-channels';
import { AlertDeliveryEntity, AlertRuleEntity } from './alert-rule.entity';
import { filterMiss, ruleEventOf, storedConfluence } from './alert-rule.matching';
import { maskSecrets, parseAlertRuleInput, type AlertRuleFields } from './alert-rule.validation';
import { NotificationDeliveryEntity } from './notification-delivery.entity';

/** Id of the default rule made of the NOTIFY_* / TELEGRAM_* environment variables. */
export const ENV_RULE_ID = 'env';
/** Idempotency keys of rule deliveries start with this (the env rule's keep `<seq>:<channel>`). */
export const RULE_KEY_PREFIX = 'rule:';
/** How long a sender holds an attempt (well over the channels' 10 s timeout); a crashed sender's lapses. */
const CLAIM_SECONDS = 60;

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

/** Read before the planning transaction (see planContext). */
export interface AlertPlanContext {
  engineConfig: EngineConfig;
}

/** A recorded event as planning sees it. */
type PlannedEvent = Pick<RecordedSignalEvent, 'seq' | 'type' | 'signal'>;

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
 * Alert rules (alert_rules) and their deliveries (alert_deliveries): CRUD for the admin API, "send
 * test", and for NotificationService the planning of rule deliveries from signal events (inside its
 * cursor transaction) and the sending of each, logged attempt by attempt.
 */
@Injectable()
export class AlertRulesService {
  private readonly logger = new Logger(AlertRulesService.name);

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly confluence: ConfluenceService,
    private readonly events: SignalEventLog,
    private readonly sender: AlertChannelSender,
    private readonly engineConfig: EngineConfigService,
  ) {}

  // ---- admin API ----------------------------------------------------------------------------------

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

  // ---- planning and delivery (NotificationService) ----------------------------------------------

  /**
   * What planning needs that it must read before the caller's transaction begins (the embedded
   * database has one session: a read beside the transaction would wait for it forever), or null when
   * no rule is enabled.
   */
  async planContext(): Promise<AlertPlanContext | null> {
    const enabled = await this.dataSource.getRepository(AlertRuleEntity).countBy({ enabled: true });
    return enabled === 0 ? null : { engineConfig: await this.engineConfig.get() };
  }

  /**
   * Records the deliveries of `events` (fresh ones, in seq order) for every enabled rule, within the
   * caller's transaction: one row per rule × event × channel (`orIgnore` on the key, so planning twice
   * writes nothing new); a creation inside a rule's cooldown is recorded as suppressed.
   */
  async plan(
    events: readonly PlannedEvent[],
    manager: EntityManager,
    context: AlertPlanContext,
  ): Promise<void> {
    const rules = await manager
      .getRepository(AlertRuleEntity)
      .find({ where: { enabled: true }, order: { id: 'ASC' } });
    if (rules.length === 0) return;
    for (const event of events) {
      // The confluence stored with the signal; recomputed only for a creation recorded before signals
      // carried it (no `confluence` key). A stored null is a replay's: its other timeframes' states are
      // later than the signal, so it has none and a rule asking for agreement does not match it.
      let confluence = storedConfluence(event.signal);
      const confluenceOf = async (): Promise<SignalConfluence | null> => {
        if (confluence === undefined)
          confluence =
            event.type === 'created'
              ? await this.confluence.forSignal(event.signal, manager, context.engineConfig)
              : null;
        return confluence;
      };
      for (const rule of rules) {
        const kind = ruleEventOf(rule, event.type, event.signal);
        if (kind === null) continue;
        // The cheap filters first; confluence (a read of the other timeframes' states) only when they pass.
        if (filterMiss({ ...rule, minAgreeingTimeframes: 1 }, event.signal, null) !== null) continue;
        const signalConfluence = await confluenceOf();
        // A close is about a signal already judged at creation: its confluence then is not asked again.
        if (kind === 'created' && filterMiss(rule, event.signal, signalConfluence) !== null) continue;
        if (
          kind !== 'created' &&
          rule.events.includes('created') &&
          !(await this.creationSent(manager, rule, event))
        )
          continue;
        const reason = kind === 'created' ? await this.cooldownReason(manager, rule, event.signal) : null;
        await this.insertDeliveries(manager, rule, event, kind, signalConfluence, reason);
      }
    }
  }

  /** Pending rule deliveries, oldest event first. */
  async pending(limit: number): Promise<string[]> {
    const rows = await this.dataSource.getRepository(AlertDeliveryEntity).find({
      select: { idempotencyKey: true },
      where: { status: 'pending' },
      order: { eventSeq: 'ASC', idempotencyKey: 'ASC' },
      take: limit,
    });
    return rows.map((row) => row.idempotencyKey);
  }

  /**
   * Sends one pending delivery. Each attempt is claimed first (attempts + 1 and a lease, only while
   * pending and not held by another sender), so however many workers run the job an attempt goes out
   * once. On failure throws (the job retries with backoff); after `maxAttempts` attempts (or on the
   * job's last) marks it failed with the reason. Every answer is logged.
   */
  async deliver(
    idempotencyKey: string,
    lastAttempt: boolean,
    maxAttempts: number = Number.POSITIVE_INFINITY,
  ): Promise<'delivered' | 'skipped'> {
    const deliveries = this.dataSource.getRepository(AlertDeliveryEntity);
    const claimed: Array<{ attempts: number }> = await this.dataSource.query(
      `UPDATE alert_deliveries SET attempts = attempts + 1, claimed_until = now() + make_interval(secs => $2)
       WHERE idempotency_key = $1 AND status = 'pending' AND (claimed_until IS NULL OR claimed_until < now())
       RETURNING attempts`,
      [idempotencyKey, CLAIM_SECONDS],
    );
    // TypeORM's query() gives [rows, count] for an UPDATE on Postgres and the rows on PGlite.
    const rows = Array.isArray(claimed[0]) ? (claimed[0] as Array<{ attempts: number }>) : claimed;
    if (rows.length === 0) return 'skipped';
    const attempts = Number(rows[0].attempts);
    const row = await deliveries.findOneByOrFail({ idempotencyKey });
    const rule = await this.dataSource.getRepository(AlertRuleEntity).findOneBy({ id: row.ruleId });
    const channel = rule?.channels.find((candidate) => candidate.id === row.channelId);
    const recorded = row.eventSeq === null ? null : await this.events.find(row.eventSeq);
    if (rule === null || channel === undefined || recorded === null) {
      const reason =
        channel === undefined ? 'the channel was removed from the rule' : 'the event was purged from the log';
      await deliveries.update({ idempotencyKey }, { status: 'failed', reason, claimedUntil: null });
      return 'skipped';
    }
    const attempt = await this.sender.send(channel, {
      event: row.event,
      rule: { id: rule.id, name: rule.name },
      seq: recorded.seq,
      idempotencyKey,
      signal: recorded.signal,
      confluence: row.confluence,
    } satisfies AlertMessage);
    const log = [...row.log, attempt];
    if (attempt.ok) {
      await deliveries.update(
        { idempotencyKey },
        { status: 'sent', log, sentAt: new Date(attempt.at), reason: null, claimedUntil: null },
      );
      return 'delivered';
    }
    const failure = `${channel.type} answered ${attempt.status === 0 ? 'nothing' : `HTTP ${attempt.status}`}: ${attempt.answer}`;
    if (lastAttempt || attempts >= maxAttempts) {
      await deliveries.update(
        { idempotencyKey },
        {
          status: 'failed',
          log,
          reason: `gave up after ${attempts} attempts; last: ${failure}`,
          claimedUntil: null,
        },
      );
      this.logger.error(`gave up delivering ${idempotencyKey} after ${attempts} attempts: ${failure}`);
    } else {
      await deliveries.update(
        { idempotencyKey },
        { log, reason: `retrying after: ${failure}`, claimedUntil: null },
      );
    }
    throw new Error(failure);
  }

  // ---- internals ---------------------------------------------------------------------------------

  private async entity(id: string): Promise<AlertRuleEntity> {
    const entity = await this.dataSource.getRepository(AlertRuleEntity).findOneBy({ id });
    if (entity === null) throw new AlertRuleNotFoundError(id);
    return entity;
  }

  private async creationSent(
    manager: EntityManager,
    rule: AlertRuleEntity,
    event: PlannedEvent,
  ): Promise<boolean> {
    const count = await manager.getRepository(AlertDeliveryEntity).countBy({
      ruleId: rule.id,
      signalId: event.signal.id,
      event: 'created',
      status: In(['pending', 'sent', 'failed']),
    });
    return count > 0;
  }

  /** Why a creation is inside the rule's cooldown for its symbol × direction, or null. */
  private async cooldownReason(
    manager: EntityManager,
    rule: AlertRuleEntity,
    signal: Signal,
  ): Promise<string | null> {
    if (rule.cooldownMinutes === 0) return null;
    const at = Date.parse(signal.createdAt);
    const rows = await manager
      .getRepository(AlertDeliveryEntity)
      .createQueryBuilder('d')
      .select('MAX(d.signal_time)', 'last')
      .where(
        `d.rule_id = :rule AND d.symbol = :symbol AND d.direction = :direction AND d.event = 'created'
         AND d.status <> 'suppressed' AND d.signal_id <> :signal AND d.signal_time > :from AND d.signal_time <= :to`,
        {
          rule: rule.id,
          symbol: signal.symbol,
          direction: signal.direction,
          signal: signal.id,
          from: new Date(at - rule.cooldownMinutes * 60_000),
          to: new Date(at),
        },
      )
      .getRawOne<{ last: Date | string | null }>();
    if (rows?.last === null || rows?.last === undefined) return null;
    const last = new Date(rows.last).toISOString();
    return `cooldown: ${signal.symbol} ${signal.direction} alerted for a signal at ${last}; quiet for ${rule.cooldownMinutes} min`;
  }

  private async insertDeliveries(
    manager: EntityManager,
    rule: AlertRuleEntity,
    event: PlannedEvent,
    kind: AlertEvent,
    confluence: SignalConfluence | null,
    suppressed: string | null,
  ): Promise<void> {
    const signal = event.signal;
    const signalTime = kind === 'created' ? signal.createdAt : (signal.closedAt ?? signal.updatedAt);
    const rows = rule.channels.map((channel) => ({
      idempotencyKey: `${RULE_KEY_PREFIX}${rule.id}:${event.seq}:${channel.id}`,
      ruleId: rule.id,
      channelId: channel.id,
      channelType: channel.type,
      event: kind,
      eventSeq: event.seq,
      signalId: signal.id,
      symbol: signal.symbol,
      timeframe: signal.timeframe,
      direction: signal.direction,
      signalTime: new Date(signalTime),
      status: suppressed === null ? ('pending' as const) : ('suppressed' as const),
      reason: suppressed,
      attempts: 0,
      log: [],
      confluence,
    }));
    await manager.createQueryBuilder().insert().into(AlertDeliveryEntity).values(rows).orIgnore().execute();
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
