import type { IncomingMessage } from 'node:http';

type OriginCallback = (error: Error | null, allow?: boolean) => void;

/** CORS origin option for HTTP: the listed origins get CORS headers; same-origin requests never need them. */
export function corsOriginCheck(
  allowed: string[],
): (origin: string | undefined, callback: OriginCallback) => void {
  const set = new Set(allowed);
  return (origin, callback) => callback(null, origin !== undefined && set.has(origin));
}

/**
 * Whether a request (a WebSocket upgrade in particular, which browsers always send with an Origin)
 * comes from no browser origin, from the server's own origin, or from an allowed one.
 */
export function isOriginAllowed(request: IncomingMessage, allowed: string[]): boolean {
  const origin = request.headers.origin;
  if (origin === undefined || allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}
