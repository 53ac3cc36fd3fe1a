/** Another process saved this engine since we read it; reload from the database and redo the scan. */
export class EngineStateConflictError extends Error {
  constructor(
    readonly symbol: string,
    readonly timeframe: string,
    readonly expectedRevision: number,
    readonly actualRevision: number | null,
  ) {
    super(
      `engine state of ${symbol} ${timeframe} is at revision ${actualRevision ?? 'none'}, expected ${expectedRevision}: ` +
        'another worker advanced it; reload it and process again',
    );
    this.name = 'EngineStateConflictError';
  }
}
