import {
  ALERT_CHANNEL_TYPES,
  ALERT_EVENTS,
  ALERT_SECRET_MASK,
  ALERT_TEMPLATE_PLACEHOLDERS,
  type AlertChannel,
  type AlertEvent,
  type AlertRule,
} from '@scanner/contracts';
import { randomBytes } from 'node:crypto';
import { InvalidRequestError } from '../common';

/** A rule the API was asked to store is not valid: 400 with every problem, each naming its field. */
export class InvalidAlertRuleError extends InvalidRequestError {
  constructor(readonly issues: string[]) {
    super(`Invalid alert rule: ${issues.join('; ')}`);
  }
}

/** The stored fields of a rule (what create and update write). */
export type AlertRuleFields = Omit<AlertRule, 'id' | 'readOnly' | 'createdAt' | 'updatedAt'>;

const FIELDS = [
  'name',
  'enabled',
  'symbols',
  'symbolPattern',
  'timeframes',
  'direction',
  'minConfidence',
  'minPTarget',
  'minAgreeingTimeframes',
  'events',
  'cooldownMinutes',
  'channels',
];
/** Sent back by a client that edits what it read: ignored. */
const READ_ONLY_FIELDS = ['id', 'readOnly', 'createdAt', 'updatedAt'];
const SYMBOL = /^[A-Z0-9]{2,20}$/;
const PATTERN = /^[A-Z0-9*?]+(\|[A-Z0-9*?]+)*$/;
const CHANNEL_ID = /^[A-Za-z0-9_-]{1,40}$/;
const TELEGRAM_TOKEN = /^\d+:[A-Za-z0-9_-]+$/;
const TELEGRAM_CHAT = /^(-?\d+|@[A-Za-z0-9_]{4,})$/;
const MAX_CHANNELS = 10;
const MAX_COOLDOWN_MINUTES = 7 * 24 * 60;

/** `{{name}}` placeholders of a template that are not known (an empty list when all are). */
export function unknownPlaceholders(template: string): string[] {
  const known = new Set<string>(ALERT_TEMPLATE_PLACEHOLDERS);
  return [...template.matchAll(/\{\{\s*([^}\s]*)\s*\}\}/g)]
    .map((match) => match[1])
    .filter((name) => !known.has(name));
}

export function newChannelId(): string {
  return `c${randomBytes(4).toString('hex')}`;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Validates a create or update body; `existing` (on update) supplies secrets sent back masked.
 * Throws InvalidAlertRuleError naming every bad field.
 */
export function parseAlertRuleInput(
  body: unknown,
  scannedTimeframes: readonly string[],
  existing: AlertRuleFields | null = null,
): AlertRuleFields {
  const issues: string[] = [];
  if (!isObject(body)) throw new InvalidAlertRuleError(['the body must be a JSON object']);
  const unknown = Object.keys(body).filter((key) => !FIELDS.includes(key) && !READ_ONLY_FIELDS.includes(key));
  if (unknown.length > 0) issues.push(`unknown field(s) ${unknown.join(', ')}`);

  const name = typeof body.name === 'string' ? body.name.trim() : '';
  if (name.length === 0 || name.length > 100)
    issues.push('name: a non-empty string of at most 100 characters');

  const enabled = body.enabled ?? true;
  if (typeof enabled !== 'boolean') issues.push('enabled: true or false');

  const symbols: string[] = [];
  if (body.symbols !== undefined) {
    if (!Array.isArray(body.symbols) || body.symbols.length > 1000)
      issues.push('symbols: a list of at most 1000 symbols');
    else
      for (const [i, symbol] of body.symbols.entries()) {
        const upper = typeof symbol === 'string' ? symbol.trim().toUpperCase() : '';
        if (!SYMBOL.test(upper))
          issues.push(`symbols[${i}]: ${JSON.stringify(symbol)} is not a symbol like BTCUSDT`);
        else if (!symbols.includes(upper)) symbols.push(upper);
      }
  }

  let symbolPattern: string | null = null;
  if (body.symbolPattern !== undefined && body.symbolPattern !== null && body.symbolPattern !== '') {
    const pattern = typeof body.symbolPattern === 'string' ? body.symbolPattern.trim().toUpperCase() : '';
    if (pattern.length > 200 || !PATTERN.test(pattern))
      issues.push(
        'symbolPattern: alternatives separated by | of letters, digits, * (any characters) and ? (one character), e.g. BTCUSDT|ETH*',
      );
    else symbolPattern = pattern;
  }

  const timeframes: string[] = [];
  if (body.timeframes !== undefined) {
    if (!Array.isArray(body.timeframes)) issues.push('timeframes: a list of scanned timeframes');
    else
      for (const timeframe of body.timeframes) {
        if (typeof timeframe !== 'string' || !scannedTimeframes.includes(timeframe))
          issues.push(
            `timeframes: ${JSON.stringify(timeframe)} is not scanned (SCAN_TIMEFRAMES: ${scannedTimeframes.join(', ')})`,
          );
        else if (!timeframes.includes(timeframe)) timeframes.push(timeframe);
      }
  }

  const direction = body.direction ?? 'ANY';
  if (direction !== 'LONG' && direction !== 'SHORT' && direction !== 'ANY')
    issues.push('direction: LONG, SHORT or ANY');

  const minConfidence = body.minConfidence ?? 0;
  if (
    typeof minConfidence !== 'number' ||
    !Number.isFinite(minConfidence) ||
    minConfidence < 0 ||
    minConfidence > 100
  )
    issues.push('minConfidence: a number from 0 to 100');

  const minPTarget = body.minPTarget ?? null;
  if (minPTarget !== null && (typeof minPTarget !== 'number' || !(minPTarget >= 0 && minPTarget <= 1)))
    issues.push('minPTarget: null or a probability from 0 to 1');

  const minAgreeingTimeframes = body.minAgreeingTimeframes ?? 1;
  if (
    typeof minAgreeingTimeframes !== 'number' ||
    !Number.isInteger(minAgreeingTimeframes) ||
    minAgreeingTimeframes < 1 ||
    minAgreeingTimeframes > scannedTimeframes.length
  )
    issues.push(
      `minAgreeingTimeframes: a whole number from 1 to ${scannedTimeframes.length} (the scanned timeframes, the signal's own included)`,
    );

  const events: AlertEvent[] = [];
  const rawEvents = body.events ?? ['created'];
  if (!Array.isArray(rawEvents) || rawEvents.length === 0)
    issues.push(`events: a non-empty list of ${ALERT_EVENTS.join(', ')}`);
  else
    for (const event of rawEvents) {
      if (!(ALERT_EVENTS as readonly unknown[]).includes(event))
        issues.push(`events: ${JSON.stringify(event)} is not one of ${ALERT_EVENTS.join(', ')}`);
      else if (!events.includes(event as AlertEvent)) events.push(event as AlertEvent);
    }

  const cooldownMinutes = body.cooldownMinutes ?? 0;
  if (
    typeof cooldownMinutes !== 'number' ||
    !Number.isInteger(cooldownMinutes) ||
    cooldownMinutes < 0 ||
    cooldownMinutes > MAX_COOLDOWN_MINUTES
  )
    issues.push(`cooldownMinutes: a whole number of minutes from 0 to ${MAX_COOLDOWN_MINUTES}`);

  const channels = parseChannels(body.channels, existing?.channels ?? [], issues);

  if (issues.length > 0) throw new InvalidAlertRuleError(issues);
  return {
    name,
    enabled: enabled as boolean,
    symbols,
    symbolPattern,
    timeframes,
    direction: direction as AlertRuleFields['direction'],
    minConfidence: minConfidence as number,
    minPTarget: minPTarget as number | null,
    minAgreeingTimeframes: minAgreeingTimeframes as number,
    events,
    cooldownMinutes: cooldownMinutes as number,
    channels,
  };
}

function parseChannels(raw: unknown, stored: readonly AlertChannel[], issues: string[]): AlertChannel[] {
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > MAX_CHANNELS) {
    issues.push(`channels: a list of 1 to ${MAX_CHANNELS} channels (webhook, telegram or discord)`);
    return [];
  }
  const channels: AlertChannel[] = [];
  for (const [i, channel] of raw.entries()) {
    const at = `channels[${i}]`;
    if (!isObject(channel) || !(ALERT_CHANNEL_TYPES as readonly unknown[]).includes(channel.type)) {
      issues.push(`${at}.type: one of ${ALERT_CHANNEL_TYPES.join(', ')}`);
      continue;
    }
    const id = channel.id ?? newChannelId();
    if (typeof id !== 'string' || !CHANNEL_ID.test(id)) {
      issues.push(`${at}.id: letters, digits, _ or - (at most 40)`);
      continue;
    }
    if (channels.some((other) => other.id === id)) issues.push(`${at}.id: ${id} is used twice`);
    const before = stored.find((other) => other.id === id && other.type === channel.type);
    /** A secret sent back as the mask keeps the stored one. */
    const secret = (field: string, value: unknown): unknown => {
      if (value !== ALERT_SECRET_MASK) return value;
      const kept = before === undefined ? undefined : (before as unknown as Record<string, unknown>)[field];
      if (kept === undefined) issues.push(`${at}.${field}: the masked value can only keep a stored secret`);
      return kept;
    };
    if (channel.type === 'webhook' || channel.type === 'discord') {
      const url = channel.type === 'discord' ? secret('url', channel.url) : channel.url;
      if (!isHttpUrl(url)) issues.push(`${at}.url: an http(s) URL`);
      if (channel.type === 'discord') {
        channels.push({ id, type: 'discord', url: url as string });
        continue;
      }
      const secretValue = secret('secret', channel.secret ?? null);
      if (
        secretValue !== null &&
        (typeof secretValue !== 'string' || secretValue.length === 0 || secretValue.length > 200)
      )
        issues.push(`${at}.secret: null or a string of 1 to 200 characters`);
      let bodyTemplate = channel.bodyTemplate ?? null;
      if (bodyTemplate === '') bodyTemplate = null;
      if (bodyTemplate !== null) {
        if (typeof bodyTemplate !== 'string' || bodyTemplate.length > 4000)
          issues.push(`${at}.bodyTemplate: null or a string of at most 4000 characters`);
        else {
          const unknown = unknownPlaceholders(bodyTemplate);
          if (unknown.length > 0)
            issues.push(
              `${at}.bodyTemplate: unknown placeholder(s) ${unknown.map((name) => `{{${name}}}`).join(', ')} (known: ${ALERT_TEMPLATE_PLACEHOLDERS.join(', ')})`,
            );
        }
      }
      channels.push({
        id,
        type: 'webhook',
        url: url as string,
        secret: secretValue as string | null,
        bodyTemplate: bodyTemplate as string | null,
      });
      continue;
    }
    const botToken = secret('botToken', channel.botToken);
    if (typeof botToken !== 'string' || !TELEGRAM_TOKEN.test(botToken))
      issues.push(`${at}.botToken: a Telegram bot token like 123456:ABC-def`);
    const chatId = typeof channel.chatId === 'number' ? String(channel.chatId) : channel.chatId;
    if (typeof chatId !== 'string' || !TELEGRAM_CHAT.test(chatId))
      issues.push(`${at}.chatId: a numeric chat id (e.g. -100123) or @channelname`);
    channels.push({ id, type: 'telegram', botToken: botToken as string, chatId: chatId as string });
  }
  return channels;
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > 2000) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** The rule as shown by the API: secrets (webhook secret, bot token, Discord URL token) masked. */
export function maskSecrets(channels: readonly AlertChannel[]): AlertChannel[] {
  return channels.map((channel) => {
    if (channel.type === 'webhook')
      return { ...channel, secret: channel.secret === null ? null : ALERT_SECRET_MASK };
    if (channel.type === 'telegram') return { ...channel, botToken: ALERT_SECRET_MASK };
    return { ...channel, url: ALERT_SECRET_MASK };
  });
}
