/** The backend started by global-setup (a dead address when listing tests without it). */
export function baseUrl(): string {
  return process.env.E2E_BASE_URL ?? 'http://127.0.0.1:9';
}

export const backendPort = (): number => Number(new URL(baseUrl()).port);
