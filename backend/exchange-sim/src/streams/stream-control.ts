import { parseStreamName } from './stream-names';

/** What a control message may read or change on its connection. */
export interface ControlTarget {
  readonly maxStreams: number;
  combined: boolean;
  subscriptions(): string[];
  subscribe(names: readonly string[]): void;
  unsubscribe(names: readonly string[]): void;
}

const METHODS = ['SUBSCRIBE', 'UNSUBSCRIBE', 'LIST_SUBSCRIPTIONS', 'SET_PROPERTY', 'GET_PROPERTY'] as const;
type Method = (typeof METHODS)[number];
type RequestId = number | string | null;

class ControlError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

const invalidRequest = (detail: string) => new ControlError(2, `Invalid request: ${detail}`);

/**
 * Answers one JSON control message (SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS, SET_PROPERTY,
 * GET_PROPERTY) with Binance's reply: `{"result":…,"id":…}` or `{"error":{"code","msg"},"id":…}`.
 * A request that fails changes nothing (a SUBSCRIBE is all or nothing).
 */
export function answerControlMessage(text: string, target: ControlTarget): string {
  let id: RequestId = null;
  try {
    const request = parseRequest(text);
    id = requestId(request);
    const result = run(methodOf(request), request, target);
    return JSON.stringify({ result, id });
  } catch (error) {
    if (!(error instanceof ControlError)) throw error;
    return JSON.stringify({ error: { code: error.code, msg: error.message }, id });
  }
}

function parseRequest(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const { line, column } = errorPosition(text, error as Error);
    throw new ControlError(3, `Invalid JSON: expected value at line ${line} column ${column}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidRequest('expected a JSON object with `method`, `params` and `id`');
  }
  return value as Record<string, unknown>;
}

/** Binance accepts a 64-bit signed integer, an alphanumeric string of at most 36 characters, or null. */
function requestId(request: Record<string, unknown>): RequestId {
  if (!('id' in request)) throw invalidRequest('missing field `id`');
  const id = request.id;
  if (id === null) return null;
  if (typeof id === 'number' && Number.isSafeInteger(id)) return id;
  if (typeof id === 'string' && /^[A-Za-z0-9]{1,36}$/.test(id)) return id;
  throw invalidRequest(
    'request ID must be an integer, an alphanumeric string of at most 36 characters, or null',
  );
}

function methodOf(request: Record<string, unknown>): Method {
  const method = request.method;
  if (method === undefined) throw invalidRequest('missing field `method`');
  if (typeof method !== 'string' || !(METHODS as readonly string[]).includes(method)) {
    throw invalidRequest(
      `unknown variant \`${String(method)}\`, expected one of ${METHODS.map((m) => `\`${m}\``).join(', ')}`,
    );
  }
  return method as Method;
}

function run(method: Method, request: Record<string, unknown>, target: ControlTarget): unknown {
  switch (method) {
    case 'SUBSCRIBE': {
      const names = streamParams(request);
      const current = new Set(target.subscriptions());
      const added = names.filter((n) => !current.has(n));
      if (current.size + new Set(added).size > target.maxStreams) {
        throw invalidRequest(`too many streams: at most ${target.maxStreams} streams per connection`);
      }
      target.subscribe(names);
      return null;
    }
    case 'UNSUBSCRIBE':
      target.unsubscribe(streamParams(request));
      return null;
    case 'LIST_SUBSCRIPTIONS':
      return target.subscriptions();
    case 'SET_PROPERTY': {
      const [, value] = propertyParams(request, 2);
      if (typeof value !== 'boolean') throw new ControlError(1, 'Invalid value type: expected Boolean');
      target.combined = value;
      return null;
    }
    case 'GET_PROPERTY':
      propertyParams(request, 1);
      return target.combined;
  }
}

function streamParams(request: Record<string, unknown>): string[] {
  const params = request.params;
  if (params === undefined) throw invalidRequest('missing field `params`');
  if (!Array.isArray(params)) throw invalidRequest('params must be an array of stream names');
  for (const name of params) {
    if (typeof name !== 'string' || !parseStreamName(name)) throw invalidRequest('invalid stream');
  }
  return params as string[];
}

/** `[name]` or `[name, value]`; only the `combined` property exists. */
function propertyParams(request: Record<string, unknown>, count: 1 | 2): unknown[] {
  const params = request.params;
  if (params === undefined) throw invalidRequest('missing field `params`');
  if (!Array.isArray(params)) throw invalidRequest('params must be an array');
  if (params.length > count) throw invalidRequest('too many parameters');
  if (params.length < count) throw invalidRequest('missing parameters');
  if (typeof params[0] !== 'string') throw invalidRequest('property name must be a string');
  if (params[0] !== 'combined') throw new ControlError(0, 'Unknown property');
  return params;
}

/** Line and column (1-based) where JSON.parse gave up, as Binance's parser reports them. */
function errorPosition(text: string, error: Error): { line: number; column: number } {
  const match = /position (\d+)/.exec(error.message);
  const offset = match ? Number(match[1]) : text.length;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return { line, column };
}
