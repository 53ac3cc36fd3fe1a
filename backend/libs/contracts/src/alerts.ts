import type { SignalDirection as Direction } from './signal';

/** The state of one symbol on one scanned timeframe, as of its last evaluated closed candle. */
export interface TimeframeConfluence {
  timeframe: string;
  /** Direction of the ACTIVE signal on this timeframe, null when there is none. */
  activeDirection: Direction | null;
  /** Close of the last closed candle against EMA200; null until EMA200 has a value (200 candles). */
  trend: 'above' | 'below' | null;
  /** Confidence of each direction at the last closed candle (0–100); null before any candle. */
  longConfidence: number | null;
  shortConfidence: number | null;
  /** Close time (ISO UTC) of the candle this state describes; null when the timeframe has no state. */
  asOf: string | null;
  /** True when this state is more than two of its candles behind the signal's time (never counts as agreeing). */
  stale: boolean;
  /** Whether this timeframe points the signal's way (see `agreesWith` in the alert rules docs). */
  agrees: boolean;
}

/**
 * The same symbol on the other scanned timeframes when a signal is created on `timeframe`.
 * A timeframe agrees with direction D when its state is not stale and either its active signal is D,
 * or it has no active signal, its close is on D's side of EMA200 (above for LONG) and D's confidence
 * is higher than the other direction's.
 */
export interface SignalConfluence {
  timeframe: string;
  direction: Direction;
  /** Timeframes pointing the signal's way, the signal's own included (so 1 = no other agrees). */
  agreeing: number;
  /** Every other scanned timeframe, shortest first. */
  others: TimeframeConfluence[];
}

/** Events a rule can ask for: a creation, every close, or only closes at a level (TP_HIT / SL_HIT). */
export const ALERT_EVENTS = ['created', 'closed', 'outcome'] as const;
export type AlertEvent = (typeof ALERT_EVENTS)[number];

export const ALERT_CHANNEL_TYPES = ['webhook', 'telegram', 'discord'] as const;
export type AlertChannelType = (typeof ALERT_CHANNEL_TYPES)[number];

/** Shown instead of a stored secret; sending it back on an update keeps the stored value. */
export const ALERT_SECRET_MASK = '••••••';

/**
 * Placeholders a webhook body template may use, written `{{name}}`. In a template that starts with
 * `{` or `[` (JSON), values are inserted JSON-escaped (without quotes), so `"{{text}}"` stays valid JSON.
 */
export const ALERT_TEMPLATE_PLACEHOLDERS = [
  'event',
  'rule',
  'seq',
  'idempotencyKey',
  'id',
  'symbol',
  'timeframe',
  'direction',
  'status',
  'confidence',
  'pTarget',
  'entryPrice',
  'stopLoss',
  'takeProfit',
  'exitPrice',
  'outcomeR',
  'createdAt',
  'closedAt',
  'confluence',
  'agreeing',
  'text',
] as const;
export type AlertTemplatePlaceholder = (typeof ALERT_TEMPLATE_PLACEHOLDERS)[number];

/** POSTs JSON signed with `X-Signature: sha256=<HMAC-SHA256(body, secret)>` when a secret is set. */
export interface WebhookAlertChannel {
  id: string;
  type: 'webhook';
  url: string;
  secret: string | null;
  /** The body to send instead of the default JSON (placeholders: ALERT_TEMPLATE_PLACEHOLDERS). */
  bodyTemplate: string | null;
}

export interface TelegramAlertChannel {
  id: string;
  type: 'telegram';
  botToken: string;
  chatId: string;
}

/** A Discord webhook URL (`https://discord.com/api/webhooks/<id>/<token>`): `{ content, embeds }`. */
export interface DiscordAlertChannel {
  id: string;
  type: 'discord';
  url: string;
}

export type AlertChannel = WebhookAlertChannel | TelegramAlertChannel | DiscordAlertChannel;

export interface AlertRule {
  /** `env` for the default rule built from NOTIFY_* / TELEGRAM_* (read-only); a uuid otherwise. */
  id: string;
  name: string;
  enabled: boolean;
  /** Exact symbols (upper case); empty = every symbol (unless `symbolPattern`). */
  symbols: string[];
  /** Alternatives separated by `|`, each may use `*` (any characters) and `?` (one): `BTC*|ETHUSDT`. */
  symbolPattern: string | null;
  /** Empty = every scanned timeframe. */
  timeframes: string[];
  direction: Direction | 'ANY';
  minConfidence: number;
  /** Minimum calibrated P(TP before SL), 0–1; a signal without pTarget does not qualify. */
  minPTarget: number | null;
  /** Same direction on at least this many scanned timeframes, the signal's own included (1 = none required). */
  minAgreeingTimeframes: number;
  events: AlertEvent[];
  /** After a creation is sent, further creations for the same symbol × direction wait this long (market time). */
  cooldownMinutes: number;
  channels: AlertChannel[];
  /** True for the environment's default rule: shown, not editable through the API. */
  readOnly: boolean;
  createdAt: string;
  updatedAt: string;
}

/** Body of POST / PUT /api/admin/alert-rules[/:id]; channel ids are assigned when absent. */
export interface AlertRuleInput {
  name: string;
  enabled?: boolean;
  symbols?: string[];
  symbolPattern?: string | null;
  timeframes?: string[];
  direction?: Direction | 'ANY';
  minConfidence?: number;
  minPTarget?: number | null;
  minAgreeingTimeframes?: number;
  events?: AlertEvent[];
  cooldownMinutes?: number;
  channels: Array<Omit<AlertChannel, 'id'> & { id?: string }>;
}

export type AlertDeliveryStatus = 'pending' | 'sent' | 'failed' | 'suppressed';

/** One answer from a channel (or the network error instead). */
export interface AlertAttempt {
  at: string;
  ok: boolean;
  /** HTTP status, 0 when no answer came. */
  status: number;
  /** The start of the answer's body, or the error. */
  answer: string;
}

/** One rule × event × channel (GET /api/admin/alert-rules/:id/deliveries). */
export interface AlertDelivery {
  idempotencyKey: string;
  ruleId: string;
  channelId: string;
  channelType: AlertChannelType;
  /** `test` for a "send test". */
  event: AlertEvent | 'test';
  eventSeq: number | null;
  signalId: string | null;
  symbol: string | null;
  timeframe: string | null;
  direction: Direction | null;
  status: AlertDeliveryStatus;
  /** Why a delivery was suppressed (cooldown, …). */
  reason: string | null;
  attempts: number;
  log: AlertAttempt[];
  confluence: SignalConfluence | null;
  createdAt: string;
  sentAt: string | null;
}

export interface AlertDeliveryPage {
  deliveries: AlertDelivery[];
}

/** Result of POST /api/admin/alert-rules/:id/test, per channel. */
export interface AlertTestResult {
  channelId: string;
  channelType: AlertChannelType;
  ok: boolean;
  status: number;
  answer: string;
}
