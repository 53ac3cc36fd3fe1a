/**
 * A domain error meaning "the caller asked for something that cannot be": answered 400 with this
 * message by the exception filter. Services throw subclasses; controllers never map them.
 */
export class InvalidRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
