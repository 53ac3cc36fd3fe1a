import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { DASHBOARD_DIR } from './paths';

/** Gzip size of what index.html loads up front: its scripts, module preloads and stylesheets. */
export function initialBundleGzipBytes(): { total: number; files: Record<string, number> } {
  const html = readFileSync(path.join(DASHBOARD_DIR, 'index.html'), 'utf8');
  const refs = new Set<string>();
  for (const m of html.matchAll(/<script[^>]+src="([^"]+)"/g)) refs.add(m[1]);
  for (const m of html.matchAll(/<link[^>]+rel="(?:modulepreload|stylesheet)"[^>]*href="([^"]+)"/g))
    refs.add(m[1]);
  for (const m of html.matchAll(/<link[^>]+href="([^"]+)"[^>]*rel="(?:modulepreload|stylesheet)"/g))
    refs.add(m[1]);
  const files: Record<string, number> = {};
  let total = gzipSync(html).length;
  files['index.html'] = total;
  for (const ref of refs) {
    if (/^https?:/.test(ref)) continue;
    const size = gzipSync(readFileSync(path.join(DASHBOARD_DIR, ref.replace(/^\//, '')))).length;
    files[ref] = size;
    total += size;
  }
  return { total, files };
}
