import { Inject, Injectable } from '@nestjs/common';
import type {
  AlertAttempt,
  AlertChannel,
  AlertEvent,
  AlertTemplatePlaceholder,
  DiscordAlertChannel,
  Signal,
  SignalConfluence,
  TelegramAlertChannel,
  WebhookAlertChannel,
} from '@scanner/contracts';
import axios from 'axios';
import { AppConfig } from '../config';
import { describeConfluence } from './alert-rule.matching';
import { describeEvent } from './notification-channel';
import { signBody } from './webhook.channel';

const TIMEOUT_MS = 10_000;
const ANSWER_CHARS = 500;
const DISCORD_CONTENT_CHARS = 2000;

/** What one alert says: the rule, the event and its signal. */
export interface AlertMessage {
  event: AlertEvent | 'test';
  rule: { id: string; name: string };
  seq: number | null;
  idempotencyKey: string;
  signal: Signal;
  confluence: SignalConfluence | null;
}

/** Plain text of an alert: the event's description (with the rule's confluence on a creation), the rule. */
export function alertText(message: AlertMessage): string {
  const type = message.event === 'created' || message.event === 'test' ? 'created' : 'deleted';
  const lines = [describeEvent({ seq: message.seq ?? 0, type, signal: message.signal }, message.confluence)];
  lines.push(`rule: ${message.rule.name}${message.event === 'test' ? ' (test)' : ''}`);
  return lines.join('\n');
}

export function templateValues(message: AlertMessage): Record<AlertTemplatePlaceholder, string> {
  const s = message.signal;
  const text = (value: unknown) => (value === null || value === undefined ? '' : String(value));
  return {
    event: message.event,
    rule: message.rule.name,
    seq: text(message.seq),
    idempotencyKey: message.idempotencyKey,
    id: s.id,
    symbol: s.symbol,
    timeframe: s.timeframe,
    direction: s.direction,
    status: s.status,
    confidence: text(s.confidence),
    pTarget: text((s as { pTarget?: number | null }).pTarget),
    entryPrice: text(s.entryPrice),
    stopLoss: text(s.stopLoss),
    takeProfit: text(s.takeProfit),
    exitPrice: text(s.exitPrice),
    outcomeR: text(s.outcomeR),
    createdAt: s.createdAt,
    closedAt: text(s.closedAt),
    confluence: describeConfluence(message.confluence),
    agreeing: text(message.confluence?.agreeing),
    text: alertText(message),
  };
}

/**
 * Fills `{{name}}` placeholders. A template starting with `{` or `[` is JSON: values go in JSON-escaped
 * (no quotes added), so `{"msg": "{{text}}"}` stays valid whatever the text holds.
 */
export function renderTemplate(template: string, values: Record<string, string>): string {
  const json = /^\s*[[{]/.test(template);
  return template.replace(/\{\{\s*([^}\s]*)\s*\}\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) return whole;
    return json ? JSON.stringify(value).slice(1, -1) : value;
  });
}

/** Discord's execute-webhook body: a short `content` and one embed with the details. */
export function discordPayload(message: AlertMessage): {
  content: string;
  embeds: Array<Record<string, unknown>>;
} {
  const s = message.signal;
  const closed = message.event === 'closed' || message.event === 'outcome';
  const title = closed
    ? `${s.symbol} ${s.timeframe} ${s.direction} closed: ${s.status}`
    : `${s.direction} ${s.symbol} ${s.timeframe} — ${Math.round(s.confidence)}%`;
  const fields = [
    { name: 'Entry', value: String(s.entryPrice), inline: true },
    { name: 'Stop', value: String(s.stopLoss), inline: true },
    { name: 'Target', value: String(s.takeProfit), inline: true },
  ];
  if (closed)
    fields.push({ name: 'Outcome', value: `${s.outcomeR ?? '—'}R at ${s.exitPrice ?? '—'}`, inline: false });
  const confluence = describeConfluence(message.confluence);
  if (confluence !== '') fields.push({ name: 'Confluence', value: confluence, inline: false });
  return {
    content: `${message.event === 'test' ? '[test] ' : ''}${title}`.slice(0, DISCORD_CONTENT_CHARS),
    embeds: [
      {
        title,
        description: alertText(message).slice(0, 4000),
        color: s.direction === 'LONG' ? 0x2e7d32 : 0xc62828,
        fields,
        timestamp: closed ? (s.closedAt ?? s.updatedAt) : s.createdAt,
        footer: { text: `rule: ${message.rule.name}` },
      },
    ],
  };
}

function answerOf(data: unknown): string {
  if (data === undefined || data === null || data === '') return '';
  const text = typeof data === 'string' ? data : JSON.stringify(data);
  return text.length > ANSWER_CHARS ? `${text.slice(0, ANSWER_CHARS)}…` : text;
}

/** Sends alerts to a rule's channels. Never throws: every outcome is an attempt with the answer. */
@Injectable()
export class AlertChannelSender {
  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  async send(channel: AlertChannel, message: AlertMessage, now: Date = new Date()): Promise<AlertAttempt> {
    try {
      const { status, ok, answer } = await this.post(channel, message);
      return { at: now.toISOString(), ok, status, answer };
    } catch (error) {
      return { at: now.toISOString(), ok: false, status: 0, answer: (error as Error).message };
    }
  }

  private post(
    channel: AlertChannel,
    message: AlertMessage,
  ): Promise<{ status: number; ok: boolean; answer: string }> {
    switch (channel.type) {
      case 'webhook':
        return this.webhook(channel, message);
      case 'telegram':
        return this.telegram(channel, message);
      case 'discord':
        return this.discord(channel, message);
    }
  }

  private async webhook(channel: WebhookAlertChannel, message: AlertMessage) {
    let body: string;
    let contentType = 'application/json';
    if (channel.bodyTemplate !== null) {
      body = renderTemplate(channel.bodyTemplate, templateValues(message));
      if (!/^\s*[[{]/.test(channel.bodyTemplate)) contentType = 'text/plain; charset=utf-8';
    } else {
      body = JSON.stringify({
        event: message.event,
        rule: message.rule,
        seq: message.seq,
        idempotencyKey: message.idempotencyKey,
        text: alertText(message),
        signal: message.signal,
        confluence: message.confluence,
      });
    }
    const headers: Record<string, string> = {
      'Content-Type': contentType,
      'Idempotency-Key': message.idempotencyKey,
    };
    if (channel.secret !== null) headers['X-Signature'] = signBody(body, channel.secret);
    const response = await axios.post(channel.url, body, {
      headers,
      timeout: TIMEOUT_MS,
      validateStatus: () => true,
      transformRequest: [(data: string) => data],
      maxRedirects: 0,
    });
    return {
      status: response.status,
      ok: response.status >= 200 && response.status < 300,
      answer: answerOf(response.data),
    };
  }

  private async telegram(channel: TelegramAlertChannel, message: AlertMessage) {
    const url = `${this.config.telegramApiUrl}/bot${channel.botToken}/sendMessage`;
    const response = await axios.post(
      url,
      { chat_id: channel.chatId, text: alertText(message), disable_web_page_preview: true },
      { timeout: TIMEOUT_MS, validateStatus: () => true },
    );
    const ok = response.status === 200 && (response.data as { ok?: boolean } | undefined)?.ok === true;
    return { status: response.status, ok, answer: answerOf(response.data) };
  }

  private async discord(channel: DiscordAlertChannel, message: AlertMessage) {
    const response = await axios.post(channel.url, discordPayload(message), {
      timeout: TIMEOUT_MS,
      validateStatus: () => true,
      maxRedirects: 0,
    });
    return {
      status: response.status,
      ok: response.status >= 200 && response.status < 300,
      answer: answerOf(response.data),
    };
  }
}
