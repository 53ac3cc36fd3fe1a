/** A configuration value that cannot be used; the message names the variable and the expected form. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    expected: string,
    received: string | undefined,
  ) {
    super(`Invalid configuration: ${variable} must be ${expected} (got ${JSON.stringify(received ?? '')})`);
    this.name = 'ConfigError';
  }
}
