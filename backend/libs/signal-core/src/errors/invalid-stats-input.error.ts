/** A signal handed to the statistics that cannot be counted honestly (e.g. closed without a net R). */
export class InvalidStatsInputError extends Error {
  constructor(
    readonly signalId: string,
    reason: string,
  ) {
    super(`Cannot count signal ${signalId} in the statistics: ${reason}`);
    this.name = 'InvalidStatsInputError';
  }
}
