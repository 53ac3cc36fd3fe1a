/** Compact age of a time ("12 s", "5 min", "3 h 20 min", "2 d 4 h"); "just now" under a second. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 1) return 'just now';
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

/** "12 s ago" for an ISO time measured against `nowMs`; a dash when the time is unknown. */
export function formatAge(iso: string | null | undefined, nowMs: number): string {
  if (!iso) return '—';
  const time = Date.parse(iso);
  if (!Number.isFinite(time)) return '—';
  const text = formatDuration(nowMs - time);
  return text === 'just now' ? text : `${text} ago`;
}
