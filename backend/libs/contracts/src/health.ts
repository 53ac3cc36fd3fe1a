export type HealthState = 'up' | 'down';

export interface HealthCheckDetail {
  status: HealthState;
  [detail: string]: unknown;
}

/** Body of `GET /api/health` and `GET /api/health/ready` (terminus shape). */
export interface HealthReport {
  status: 'ok' | 'error' | 'shutting_down';
  info?: Record<string, HealthCheckDetail>;
  error?: Record<string, HealthCheckDetail>;
  details: Record<string, HealthCheckDetail>;
}

export interface ApiError {
  statusCode: number;
  error: string;
  message: string | string[];
}

/**
 * Readiness detail `exchange.clock` (present when the host/exchange clock offset is over 1 s): the
 * exchange's clock minus the host's, measured from `GET /api/v3/time`.
 */
export interface ClockOffsetDetail {
  offsetMs: number;
  measuredAt: string;
  roundTripMs: number;
}

/** Readiness detail `exchange.halt` while the whole exchange is halted (no series has a new candle). */
export interface ExchangeHaltDetail {
  since: string;
  detectedAt: string;
  /** exchangeInfo statuses of the scanned symbols seen during the halt (e.g. BREAK). */
  statuses: string[];
  message: string;
}
