import { Transform } from 'class-transformer';
import { Matches } from 'class-validator';

/**
 * ISO-8601 as the API accepts it: a date (`2024-08-05`) or a date-time with or without seconds,
 * fraction and offset. Without an offset a time is read as UTC — never in the host's time zone — so
 * the same query means the same instant on every server (README, "Times").
 */
const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** Epoch ms of an ISO-8601 time, reading a time without offset as UTC; null when it is not one. */
export function parseUtcTime(value: string): number | null {
  const match = ISO_TIME.exec(value.trim());
  if (match === null) return null;
  const [, year, month, day, hour = '00', minute = '00', second = '00', fraction = '', offset = 'Z'] = match;
  const normalizedOffset =
    offset.toUpperCase() === 'Z' ? 'Z' : offset.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = fraction === '' ? '' : fraction.slice(0, 4).padEnd(4, '0');
  const iso = `${year}-${month}-${day}T${hour}:${minute}:${second}${ms}${normalizedOffset}`;
  const time = Date.parse(iso);
  if (!Number.isFinite(time)) return null;
  // Date.parse rolls 2024-02-31 over to March: refuse dates that do not exist.
  const check = new Date(Date.parse(`${year}-${month}-${day}T00:00:00Z`));
  if (check.getUTCDate() !== Number(day) || check.getUTCMonth() + 1 !== Number(month)) return null;
  return time;
}

/**
 * A time query parameter: validated as ISO-8601 (400 naming the parameter otherwise) and normalised to
 * an ISO string in UTC (`2024-08-05T10:00:00.000Z`), a time without offset being read as UTC.
 */
export function UtcTimeParam(name: string): PropertyDecorator {
  const transform = Transform(({ value }: { value: unknown }) => {
    if (typeof value !== 'string') return value;
    const time = parseUtcTime(value);
    return time === null ? value : new Date(time).toISOString();
  });
  const validate = Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/, {
    message: `${name} must be an ISO-8601 date or date-time such as 2024-08-05T00:00:00Z (a time without offset is read as UTC)`,
  });
  return (target: object, key: string | symbol) => {
    transform(target, key);
    validate(target, key);
  };
}
