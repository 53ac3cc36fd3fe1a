/**
 * `GET /api/admin/status` has no shared contract type yet: read the parts we know defensively and show
 * the rest as raw JSON, so nothing the server reports is hidden.
 */
export interface ScanRun {
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  symbols?: number;
  errors?: number | string[];
}
export interface WeightUse {
  used: number;
  limit: number;
}
export type QueueCounts = Record<string, Record<string, number>>;

export interface AdminStatusView {
  lastScans: ScanRun[];
  weight: WeightUse | null;
  queues: QueueCounts;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function readAdminStatus(body: unknown): AdminStatusView {
  const root = isObject(body) ? body : {};
  const scans =
    root['lastScans'] ??
    root['scans'] ??
    (isObject(root['scanner']) ? root['scanner']['lastScans'] : undefined);
  const weightRaw =
    root['requestWeight'] ??
    root['weight'] ??
    (isObject(root['exchange']) ? root['exchange']['weight'] : undefined);
  let weight: WeightUse | null = null;
  if (isObject(weightRaw)) {
    const used =
      num(weightRaw['used']) ??
      num(weightRaw['usedThisMinute']) ??
      num(weightRaw['usedWeight1m']) ??
      num(weightRaw['current']);
    const limit = num(weightRaw['limit']);
    if (used !== null && limit !== null) weight = { used, limit };
  }
  const queues: QueueCounts = {};
  if (isObject(root['queues'])) {
    for (const [name, counts] of Object.entries(root['queues'])) {
      if (!isObject(counts)) continue;
      queues[name] = Object.fromEntries(
        Object.entries(counts).filter(([, v]) => typeof v === 'number'),
      ) as Record<string, number>;
    }
  }
  return { lastScans: Array.isArray(scans) ? (scans.filter(isObject) as ScanRun[]) : [], weight, queues };
}
