import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AlertEvent, Signal, SignalConfluence } from '@scanner/contracts';
import type { EngineConfig } from '@scanner/signal-core';
import { DataSource, EntityManager, In } from 'typeorm';
import {
  ConfluenceService,
  EngineConfigService,
  type RecordedSignalEvent,
  SignalEventLog,
} from '../signal-engine';
import { AlertChannelSender, type AlertMessage } from './alert-channels';
import { AlertDeliveryEntity, AlertRuleEntity } from './alert-rule.entity';
import { filterMiss, ruleEventOf, storedConfluence } from './alert-rule.matching';

/** Idempotency keys of rule deliveries start with this (the env rule's keep `<seq>:<channel>`). */
export const RULE_KEY_PREFIX = 'rule:';
/** How long a sender holds an attempt (well over the channels' 10 s timeout); a crashed sender's lapses. */
const CLAIM_SECONDS = 60;

/** Read before the planning transaction (see planContext). */
export interface AlertPlanContext {
  engineConfig: EngineConfig;
}

/** A recorded event as planning sees it. */
type PlannedEvent = Pick<RecordedSignalEvent, 'seq' | 'type' | 'signal'>;

/**
 * The delivery side of alert rules, for NotificationService: planning (which enabled rules a signal
 * event matches, cooldowns, the rows to deliver; inside its cursor transaction) and the sending of each
 * planned delivery, logged attempt by attempt. The rules themselves are AlertRulesAdminService's.
 */
@Injectable()
export class AlertDeliveryService {
  private readonly logger = new Logger(AlertDeliveryService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly confluence: ConfluenceService,
    private readonly events: SignalEventLog,
    private readonly sender: AlertChannelSender,
    private readonly engineConfig: EngineConfigService,
  ) {}

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
}
