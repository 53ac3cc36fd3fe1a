/**
 * Errors of the market-data layer. Each message names what was wrong (symbol, interval, open time,
 * Binance code) and what happens next, so a scan report or a log line is enough to act on.
 */
export class MarketDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Binance answered 4xx with its `{code, msg}` body (not retried). */
export class BinanceRequestError extends MarketDataError {
  constructor(
    readonly status: number,
    readonly code: number | null,
    readonly binanceMessage: string,
    readonly request: string,
  ) {
    super(
      `${request}: Binance rejected the request (HTTP ${status}${code === null ? '' : `, code ${code}`}): ${binanceMessage}`,
    );
  }
}

/** -1121: the exchange does not know the symbol. */
export class UnknownSymbolError extends BinanceRequestError {}

/** -1120: the exchange does not accept the interval. */
export class InvalidIntervalError extends BinanceRequestError {}

/** 5xx, timeouts, network errors or unreadable bodies, still failing after every retry. */
export class ExchangeUnavailableError extends MarketDataError {
  constructor(
    readonly request: string,
    readonly attempts: number,
    readonly lastError: string,
  ) {
    super(`${request}: exchange unavailable after ${attempts} attempt(s): ${lastError}`);
  }
}

/** Requests are paused after a 429/418 until `pausedUntil`; retry after it. */
export class ExchangePausedError extends MarketDataError {
  constructor(
    readonly request: string,
    readonly pausedUntil: number,
  ) {
    super(
      `${request}: not sent, Binance requests are paused after a 429/418 until ${new Date(pausedUntil).toISOString()}`,
    );
  }
}
