export interface ConfigIssue {
  /** Dotted path of the offending field, e.g. `weights.macd_cross`. */
  readonly field: string;
  readonly message: string;
}

/** The engine configuration failed validation; `issues` names every bad field. */
export class InvalidEngineConfigError extends Error {
  constructor(readonly issues: readonly ConfigIssue[]) {
    super(`Invalid engine config: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`);
    this.name = 'InvalidEngineConfigError';
  }
}
