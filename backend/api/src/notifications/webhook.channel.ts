import { Inject, Injectable } from '@nestjs/common';
import type { SignalEvent } from '@scanner/contracts';
import axios from 'axios';
import { createHmac } from 'node:crypto';
import { AppConfig } from '../config';
import { describeEvent, NotificationChannel } from './notification-channel';

const TIMEOUT_MS = 10_000;

/** `X-Signature: sha256=<hex HMAC-SHA256 of the exact body bytes with NOTIFY_WEBHOOK_SECRET>`. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** POSTs each event as JSON to NOTIFY_WEBHOOK_URL, signed when a secret is set. */
@Injectable()
export class WebhookChannel extends NotificationChannel {
  readonly name = 'webhook' as const;

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {
    super();
  }

  get enabled(): boolean {
    return this.config.notifyWebhookUrl !== null;
  }

  async send(event: SignalEvent, idempotencyKey: string): Promise<void> {
    const body = JSON.stringify({
      event: event.type,
      seq: event.seq,
      idempotencyKey,
      text: describeEvent(event),
      signal: event.signal,
    });
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'Idempotency-Key': idempotencyKey,
    };
    if (this.config.notifyWebhookSecret !== null)
      headers['X-Signature'] = signBody(body, this.config.notifyWebhookSecret);
    const response = await axios.post(this.config.notifyWebhookUrl as string, body, {
      headers,
      timeout: TIMEOUT_MS,
      validateStatus: () => true,
      transformRequest: [(data: string) => data],
    });
    if (response.status < 200 || response.status >= 300)
      throw new Error(`webhook answered HTTP ${response.status}`);
  }
}
