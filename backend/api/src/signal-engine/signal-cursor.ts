import type { SignalSort } from '@scanner/contracts';
import { InvalidRequestError } from '../common';

/** Position after the last row of a page: the sort key of that row and its id (the tie-breaker). */
export interface SignalCursor {
  sort: SignalSort;
  /** confidence (number), latest (created_at epoch ms) or symbol (string). */
  key: number | string;
  id: string;
}

/** Thrown for a cursor that was not produced by encodeCursor for the same sort (a 400). */
export class InvalidCursorError extends InvalidRequestError {
  constructor(reason: string) {
    super(`cursor ${reason}: pass the nextCursor of a previous page with the same sort`);
  }
}

export function encodeCursor(cursor: SignalCursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.key, cursor.id]), 'utf8').toString('base64url');
}

export function decodeCursor(raw: string, sort: SignalSort): SignalCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('is not valid');
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || typeof parsed[2] !== 'string')
    throw new InvalidCursorError('is not valid');
  const [cursorSort, key, id] = parsed as [unknown, unknown, string];
  if (cursorSort !== sort)
    throw new InvalidCursorError(`was made for sort=${String(cursorSort)}, not sort=${sort}`);
  const numeric = sort === 'confidence' || sort === 'latest';
  if (numeric ? typeof key !== 'number' || !Number.isFinite(key) : typeof key !== 'string')
    throw new InvalidCursorError('is not valid');
  return { sort, key: key as number | string, id };
}
