import { Inject, Injectable } from '@nestjs/common';
import type { SignalEvent } from '@scanner/contracts';
import axios from 'axios';
import { AppConfig } from '../config';
import { describeEvent, NotificationChannel } from './notification-channel';

const TIMEOUT_MS = 10_000;

/** Telegram Bot API sendMessage to TELEGRAM_CHAT_ID. The token is part of the URL: never logged. */
@Injectable()
export class TelegramChannel extends NotificationChannel {
  readonly name = 'telegram' as const;

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {
    super();
  }

  get enabled(): boolean {
    return this.config.telegramBotToken !== null && this.config.telegramChatId !== null;
  }

  async send(event: SignalEvent): Promise<void> {
    const url = `${this.config.telegramApiUrl}/bot${this.config.telegramBotToken}/sendMessage`;
    const response = await axios.post(
      url,
      { chat_id: this.config.telegramChatId, text: describeEvent(event), disable_web_page_preview: true },
      { timeout: TIMEOUT_MS, validateStatus: () => true },
    );
    const ok = response.status === 200 && (response.data as { ok?: boolean } | undefined)?.ok === true;
    if (!ok) {
      const description = (response.data as { description?: string } | undefined)?.description ?? '';
      throw new Error(`Telegram answered HTTP ${response.status}${description ? `: ${description}` : ''}`);
    }
  }
}
