/** `SignalEngine.cancelActive` was called with a price, time or reason it cannot close a signal with. */
export class InvalidCancellationError extends Error {
  constructor(
    readonly signalId: string,
    reason: string,
  ) {
    super(`Cannot cancel signal ${signalId}: ${reason}`);
    this.name = 'InvalidCancellationError';
  }
}
