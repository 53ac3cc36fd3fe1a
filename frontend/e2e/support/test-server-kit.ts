import { createReadStream, existsSync, statSync } from 'node:fs';
import type * as http from 'node:http';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type { ScannerStatusPayload } from '../../../backend/libs/contracts/src';
import { REPO_ROOT } from './paths';

/** Parts shared by the synthetic wire-contract servers (contract-test-server, matrix-test-server). */

// socket.io (the server package) is a dependency of the backend workspace.
export const { Server: SocketIoServer } = createRequire(
  path.join(REPO_ROOT, 'backend', 'api', 'package.json'),
)('socket.io') as typeof import('socket.io');

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

/** Answers `status` with `body` as JSON. */
export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Serves a file of the built dashboard in `root`; any other path gets its index.html (client routes). */
export function serveDashboard(root: string, pathname: string, res: http.ServerResponse): void {
  let file = path.join(root, path.normalize(pathname).replace(/^([/\\])+/, ''));
  if (!file.startsWith(root) || !existsSync(file) || statSync(file).isDirectory())
    file = path.join(root, 'index.html');
  res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
  createReadStream(file).pipe(res);
}

/** An idle scanner in poll mode that scanned 5 s ago. */
export function idleScannerStatus(symbols: number, activeSignals: number): ScannerStatusPayload {
  return {
    state: 'idle',
    lastScanAt: new Date(Date.now() - 5_000).toISOString(),
    lastScanDurationMs: 800,
    symbols,
    activeSignals,
    paused: false,
    exchangeBackoff: false,
    pauseUntil: null,
    serverTime: new Date().toISOString(),
    marketData: {
      source: 'poll',
      state: 'polling',
      connections: 0,
      streams: 0,
      lastEvaluationLagMs: null,
      lastStreamedCloseAt: null,
      lastEvaluatedAt: null,
      detail: 'MARKET_DATA_SOURCE=poll: REST scans every tick',
    },
  };
}

/** A deterministic random source in [0, 1) (mulberry32), so every run sees the same load. */
export function mulberry32(seed: number): () => number {
  let state = seed;
  return () => {
    let t = (state += 0x6d2b79f5);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
