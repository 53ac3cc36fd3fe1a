/** A timeframe string the core cannot turn into a fixed interval. */
export class UnsupportedTimeframeError extends Error {
  constructor(readonly timeframe: string) {
    super(
      `Unsupported timeframe "${timeframe}": use one of 1m, 3m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 8h, 12h, 1d, 3d, 1w`,
    );
    this.name = 'UnsupportedTimeframeError';
  }
}
