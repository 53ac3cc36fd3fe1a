import type { AppConfig } from '../../src/config/app-config';
import { ENV_DEFAULTS } from '../../src/config/env-schema';

/**
 * No test may reach the internet: every URL an app under test calls out to must name a loopback host.
 * The exchange URLs are checked always (the scanner calls them on its own), a notification channel's
 * only when it is configured (otherwise nothing is sent).
 */
const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

export function isLoopbackUrl(url: string): boolean {
  try {
    return LOOPBACK_HOST.test(new URL(url).hostname);
  } catch {
    return false;
  }
}

type Outbound = Partial<
  Record<'BINANCE_REST_URL' | 'BINANCE_WS_URL' | 'TELEGRAM_API_URL' | 'NOTIFY_WEBHOOK_URL', string>
>;

function assertLoopback(urls: Outbound, what: string): void {
  const remote = Object.entries(urls).filter(([, url]) => url !== undefined && !isLoopbackUrl(url));
  if (remote.length === 0) return;
  throw new Error(
    `${what} would reach beyond this machine: ${remote.map(([name, url]) => `${name}=${url}`).join(', ')}. ` +
      'Tests talk to local servers only: point it at the exchange simulator (or another local server), or keep ' +
      "the test environment's default (createTestEnvironment / UNREACHABLE_EXCHANGE: a loopback port that refuses).",
  );
}

/** Throws, naming the variables, when an in-process app with `config` would call a non-loopback host. */
export function assertLocalOnlyConfig(config: AppConfig, what = 'the app under test'): void {
  assertLoopback(
    {
      BINANCE_REST_URL: config.binanceRestUrl,
      BINANCE_WS_URL: config.binanceWsUrl,
      TELEGRAM_API_URL: config.telegramBotToken ? config.telegramApiUrl : undefined,
      NOTIFY_WEBHOOK_URL: config.notifyWebhookUrl ?? undefined,
    },
    what,
  );
}

/** The same for a child process given `env` (an unset or empty variable takes the app's default). */
export function assertLocalOnlyEnv(env: NodeJS.ProcessEnv, what = 'the app under test'): void {
  const value = (name: keyof typeof ENV_DEFAULTS) =>
    env[name]?.trim() ? env[name]!.trim() : ENV_DEFAULTS[name];
  assertLoopback(
    {
      BINANCE_REST_URL: value('BINANCE_REST_URL'),
      BINANCE_WS_URL: value('BINANCE_WS_URL'),
      TELEGRAM_API_URL: value('TELEGRAM_BOT_TOKEN') ? value('TELEGRAM_API_URL') : undefined,
      NOTIFY_WEBHOOK_URL: value('NOTIFY_WEBHOOK_URL') || undefined,
    },
    what,
  );
}
