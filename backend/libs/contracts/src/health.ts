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
