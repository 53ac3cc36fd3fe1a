import type { SignalStatus } from '@scanner/contracts';

export const STATUS_LABELS: Record<SignalStatus, string> = {
  ACTIVE: 'Active',
  TP_HIT: 'Target hit',
  SL_HIT: 'Stop hit',
  INVALIDATED: 'Invalidated',
  EXPIRED: 'Expired',
  CANCELLED: 'Cancelled',
};

export const CONDITION_LABELS: Record<string, string> = {
  macd_cross: 'MACD cross',
  rsi_zone: 'RSI zone',
  trend_ema50: 'Trend vs EMA 50',
  ema_stack: 'EMA 9 / 21 stack',
  adx_trend: 'ADX trend',
  heikin_ashi: 'Heikin Ashi candle',
  trend_ema200: 'Trend vs EMA 200',
  bb_position: 'Bollinger position',
};
