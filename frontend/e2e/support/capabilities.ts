/** Which backend endpoints answered in global setup (the backend is built concurrently, issue by issue). */
export interface Capabilities {
  signalsList: boolean;
  signalDetail: boolean;
  stats: boolean;
  symbols: boolean;
  candles: boolean;
  admin: boolean;
  /** The scanner produced a signal within the wait of global setup. */
  signalsFlow: boolean;
}

export function capabilities(): Capabilities {
  return JSON.parse(process.env.E2E_CAPS ?? '{}') as Capabilities;
}

/** The backend started by global-setup (a dead address when listing tests without it). */
export function baseUrl(): string {
  return process.env.E2E_BASE_URL ?? 'http://127.0.0.1:9';
}

export const backendPort = (): number => Number(new URL(baseUrl()).port);

/** Fails a test that needs live signals when the backend did not produce any within the wait. */
export function needsSignals(_test: unknown, caps: Capabilities): void {
  const missing = !caps.signalsList
    ? 'GET /api/signals is not served'
    : !caps.signalsFlow
      ? 'the backend produced no signal within the wait of global setup'
      : null;
  if (missing) throw new Error(missing);
}
