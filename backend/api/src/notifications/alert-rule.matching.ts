import type { AlertEvent, AlertRule, Signal, SignalConfluence, SignalEventType } from '@scanner/contracts';

export type AlertRuleFilter = Pick<
  AlertRule,
  | 'symbols'
  | 'symbolPattern'
  | 'timeframes'
  | 'direction'
  | 'minConfidence'
  | 'minPTarget'
  | 'minAgreeingTimeframes'
  | 'events'
>;

/** `BTC*|ETHUSDT` → /^(?:BTC[A-Z0-9]*|ETHUSDT)$/ (validated patterns only hold letters, digits, *, ? and |). */
export function symbolPatternRegex(pattern: string): RegExp {
  const alternatives = pattern
    .toUpperCase()
    .split('|')
    .map((alternative) =>
      alternative
        .replace(/[^A-Z0-9*?]/g, '')
        .replace(/\*/g, '[A-Z0-9]*')
        .replace(/\?/g, '[A-Z0-9]'),
    );
  return new RegExp(`^(?:${alternatives.join('|')})$`);
}

/** Every symbol when neither a list nor a pattern is set; otherwise in the list or matching the pattern. */
export function matchesSymbol(rule: Pick<AlertRule, 'symbols' | 'symbolPattern'>, symbol: string): boolean {
  if (rule.symbols.length === 0 && rule.symbolPattern === null) return true;
  if (rule.symbols.includes(symbol)) return true;
  return rule.symbolPattern !== null && symbolPatternRegex(rule.symbolPattern).test(symbol);
}

/**
 * Which of the rule's events a signal event is, or null: a creation is `created`; a close is `outcome`
 * when it hit a level (TP_HIT, SL_HIT) and the rule asks for outcomes, else `closed` when the rule asks
 * for closes. Updates are never alerted.
 */
export function ruleEventOf(
  rule: Pick<AlertRule, 'events'>,
  type: SignalEventType,
  signal: Pick<Signal, 'status'>,
): AlertEvent | null {
  if (type === 'created') return rule.events.includes('created') ? 'created' : null;
  if (type !== 'deleted') return null;
  if (rule.events.includes('outcome') && (signal.status === 'TP_HIT' || signal.status === 'SL_HIT'))
    return 'outcome';
  return rule.events.includes('closed') ? 'closed' : null;
}

/** The signal's calibrated P(target), when the wire carries one. */
function pTargetOf(signal: Signal): number | null {
  const value = (signal as { pTarget?: number | null }).pTarget;
  return typeof value === 'number' ? value : null;
}

/** Confidence at creation (closes are judged on what was known when the signal was created). */
function creationConfidence(signal: Signal): number {
  const initial = (signal as { initialConfidence?: number }).initialConfidence;
  return typeof initial === 'number' ? initial : signal.confidence;
}

/**
 * Why a signal does not pass the rule's filters, or null when it does. `confluence` is required when
 * the rule asks for agreeing timeframes (a missing one fails).
 */
export function filterMiss(
  rule: AlertRuleFilter,
  signal: Signal,
  confluence: SignalConfluence | null,
): string | null {
  if (!matchesSymbol(rule, signal.symbol)) return 'symbol';
  if (rule.timeframes.length > 0 && !rule.timeframes.includes(signal.timeframe)) return 'timeframe';
  if (rule.direction !== 'ANY' && rule.direction !== signal.direction) return 'direction';
  if (creationConfidence(signal) < rule.minConfidence) return 'confidence';
  if (rule.minPTarget !== null) {
    const pTarget = pTargetOf(signal);
    if (pTarget === null || pTarget < rule.minPTarget) return 'pTarget';
  }
  if (
    rule.minAgreeingTimeframes > 1 &&
    (confluence === null || confluence.agreeing < rule.minAgreeingTimeframes)
  )
    return 'confluence';
  return null;
}

/** "1h ▲ 4h ▼ 15m –": each other timeframe, ▲/▼ by its active signal or else its EMA200 side, ✓ when it agrees. */
export function describeConfluence(confluence: SignalConfluence | null): string {
  if (confluence === null || confluence.others.length === 0) return '';
  return confluence.others
    .map((other) => {
      const way =
        other.activeDirection !== null
          ? other.activeDirection === 'LONG'
            ? '▲'
            : '▼'
          : other.trend === 'above'
            ? '▲'
            : other.trend === 'below'
              ? '▼'
              : '–';
      return `${other.timeframe} ${way}${other.agrees ? '✓' : ''}`;
    })
    .join(' ');
}

/**
 * The confluence stored with a signal at creation: the value (null for a replay, which has none), or
 * undefined when the event was recorded before signals carried it (its payload has no `confluence` key).
 */
export const storedConfluence = (signal: Signal): SignalConfluence | null | undefined =>
  'confluence' in signal ? (signal.confluence ?? null) : undefined;
