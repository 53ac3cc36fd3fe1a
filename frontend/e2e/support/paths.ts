import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
/** The built dashboard the backend serves; E2E_DASHBOARD_DIR points at another build (e.g. a helper's own). */
export const DASHBOARD_DIR =
  process.env.E2E_DASHBOARD_DIR || path.join(REPO_ROOT, 'frontend', 'dist', 'browser');
export const ARTIFACTS_DIR = path.join(REPO_ROOT, 'frontend', 'test-artifacts');
export const SCREENSHOTS_DIR = path.join(ARTIFACTS_DIR, 'screenshots');
export const ADMIN_KEY = 'e2e-admin-key-0123456789';
