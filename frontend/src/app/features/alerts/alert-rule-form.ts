import type {
  AlertChannel,
  AlertChannelType,
  AlertDelivery,
  AlertEvent,
  AlertRule,
  AlertRuleInput,
} from '@scanner/contracts';

/** One channel as edited: every field of every type as text, only the type's own sent. */
export interface ChannelDraft {
  id: string | null;
  type: AlertChannelType;
  url: string;
  secret: string;
  bodyTemplate: string;
  botToken: string;
  chatId: string;
}

/** The rule form's state: text where the user types, parsed on save. */
export interface RuleDraft {
  name: string;
  enabled: boolean;
  symbols: string;
  symbolPattern: string;
  timeframes: string;
  direction: 'LONG' | 'SHORT' | 'ANY';
  minConfidence: string;
  minPTarget: string;
  minAgreeingTimeframes: string;
  events: AlertEvent[];
  cooldownMinutes: string;
  channels: ChannelDraft[];
}

export function emptyChannel(type: AlertChannelType): ChannelDraft {
  return { id: null, type, url: '', secret: '', bodyTemplate: '', botToken: '', chatId: '' };
}

export function emptyDraft(): RuleDraft {
  return {
    name: '',
    enabled: true,
    symbols: '',
    symbolPattern: '',
    timeframes: '',
    direction: 'ANY',
    minConfidence: '70',
    minPTarget: '',
    minAgreeingTimeframes: '1',
    events: ['created'],
    cooldownMinutes: '0',
    channels: [emptyChannel('webhook')],
  };
}

function channelDraft(channel: AlertChannel): ChannelDraft {
  const draft = { ...emptyChannel(channel.type), id: channel.id };
  if (channel.type === 'webhook')
    return {
      ...draft,
      url: channel.url,
      secret: channel.secret ?? '',
      bodyTemplate: channel.bodyTemplate ?? '',
    };
  if (channel.type === 'telegram') return { ...draft, botToken: channel.botToken, chatId: channel.chatId };
  return { ...draft, url: channel.url };
}

/** The form for an existing rule (masked secrets stay masked: the server keeps them when sent back). */
export function draftOf(rule: AlertRule): RuleDraft {
  return {
    name: rule.name,
    enabled: rule.enabled,
    symbols: rule.symbols.join(', '),
    symbolPattern: rule.symbolPattern ?? '',
    timeframes: rule.timeframes.join(', '),
    direction: rule.direction,
    minConfidence: String(rule.minConfidence),
    minPTarget: rule.minPTarget === null ? '' : String(rule.minPTarget),
    minAgreeingTimeframes: String(rule.minAgreeingTimeframes),
    events: [...rule.events],
    cooldownMinutes: String(rule.cooldownMinutes),
    channels: rule.channels.map(channelDraft),
  };
}

const list = (text: string): string[] =>
  text
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter((item) => item !== '');

/** A number typed in a field: the number, or the text itself so the server names the field. */
function numberOf(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? Number.NaN : Number(trimmed);
}

/** The request body for the form (the server validates and names any bad field). */
export function inputOf(draft: RuleDraft): AlertRuleInput {
  const pTarget = draft.minPTarget.trim();
  return {
    name: draft.name.trim(),
    enabled: draft.enabled,
    symbols: list(draft.symbols).map((symbol) => symbol.toUpperCase()),
    symbolPattern: draft.symbolPattern.trim() === '' ? null : draft.symbolPattern.trim(),
    timeframes: list(draft.timeframes),
    direction: draft.direction,
    minConfidence: numberOf(draft.minConfidence),
    minPTarget: pTarget === '' ? null : numberOf(pTarget),
    minAgreeingTimeframes: numberOf(draft.minAgreeingTimeframes),
    events: draft.events,
    cooldownMinutes: numberOf(draft.cooldownMinutes),
    channels: draft.channels.map((channel) => {
      const id = channel.id === null ? {} : { id: channel.id };
      if (channel.type === 'webhook')
        return {
          ...id,
          type: 'webhook' as const,
          url: channel.url.trim(),
          secret: channel.secret === '' ? null : channel.secret,
          bodyTemplate: channel.bodyTemplate.trim() === '' ? null : channel.bodyTemplate,
        };
      if (channel.type === 'telegram')
        return {
          ...id,
          type: 'telegram' as const,
          botToken: channel.botToken.trim(),
          chatId: channel.chatId.trim(),
        };
      return { ...id, type: 'discord' as const, url: channel.url.trim() };
    }),
  };
}

/** "BTCUSDT, ETHUSDT · ETH*", or "all symbols". */
export function symbolsText(rule: Pick<AlertRule, 'symbols' | 'symbolPattern'>): string {
  const parts = [...(rule.symbols.length > 0 ? [rule.symbols.join(', ')] : [])];
  if (rule.symbolPattern !== null) parts.push(rule.symbolPattern);
  return parts.length === 0 ? 'all symbols' : parts.join(' · ');
}

/** "LONG ≥ 70% · 2 timeframes agree · pTarget ≥ 0.55 · cooldown 60 min". */
export function conditionsText(rule: AlertRule): string {
  const parts = [`${rule.direction === 'ANY' ? 'LONG or SHORT' : rule.direction} ≥ ${rule.minConfidence}%`];
  if (rule.minAgreeingTimeframes > 1) parts.push(`${rule.minAgreeingTimeframes} timeframes agree`);
  if (rule.minPTarget !== null) parts.push(`pTarget ≥ ${rule.minPTarget}`);
  if (rule.cooldownMinutes > 0) parts.push(`cooldown ${rule.cooldownMinutes} min`);
  parts.push(rule.timeframes.length === 0 ? 'every timeframe' : rule.timeframes.join(', '));
  return parts.join(' · ');
}

/** What the log row says happened: sent after N attempts, retrying, given up, suppressed (why). */
export function deliveryText(delivery: AlertDelivery): string {
  const last = delivery.log.at(-1);
  const answer = last
    ? `${last.status === 0 ? 'no answer' : `HTTP ${last.status}`}${last.answer ? `: ${last.answer}` : ''}`
    : '';
  switch (delivery.status) {
    case 'sent':
      return delivery.attempts > 1 ? `sent after ${delivery.attempts} attempts` : 'sent';
    case 'pending':
      return delivery.attempts > 0 ? `retrying (${delivery.attempts} failed; ${answer})` : 'queued';
    case 'failed':
      return delivery.reason ?? `failed (${answer})`;
    case 'suppressed':
      return delivery.reason ?? 'suppressed';
  }
}

/** Fields the form can tell are wrong before asking the server (numbers that are not numbers). */
export function draftProblems(draft: RuleDraft): string[] {
  const problems: string[] = [];
  const check = (field: string, text: string, optional = false) => {
    if (optional && text.trim() === '') return;
    if (!Number.isFinite(numberOf(text))) problems.push(`${field}: enter a number`);
  };
  check('Minimum confidence', draft.minConfidence);
  check('Minimum pTarget', draft.minPTarget, true);
  check('Timeframes that agree', draft.minAgreeingTimeframes);
  check('Cooldown', draft.cooldownMinutes);
  if (draft.events.length === 0) problems.push('Events: choose at least one');
  if (draft.channels.length === 0) problems.push('Channels: add at least one');
  return problems;
}
