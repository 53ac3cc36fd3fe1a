/** A kline that cannot be used: wrong shape, non-numeric or inconsistent prices. */
export class MalformedCandleError extends Error {
  constructor(
    message: string,
    readonly openTime: number | null = null,
  ) {
    super(message);
    this.name = 'MalformedCandleError';
  }
}
