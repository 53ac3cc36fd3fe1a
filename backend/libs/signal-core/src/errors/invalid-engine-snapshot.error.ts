/** A snapshot handed to `SignalEngine.restore` that does not belong to this engine or format. */
export class InvalidEngineSnapshotError extends Error {
  constructor(message: string) {
    super(`Cannot restore signal engine: ${message}`);
    this.name = 'InvalidEngineSnapshotError';
  }
}
