import type { Page } from '@playwright/test';
import { io } from 'socket.io-client';
import type { SignalsSnapshotPayload } from '../../../backend/libs/contracts/src';

/** id → version of the active signals on the live grid (cards fading out after a close are left out). */
export async function gridState(page: Page): Promise<Record<string, number>> {
  return page.$$eval('app-signal-card:not(.closing)', (cards) =>
    Object.fromEntries(
      cards.map((c) => [c.getAttribute('data-id') ?? '', Number(c.getAttribute('data-version'))]),
    ),
  );
}

/** The server's active set right now, from a fresh snapshot on a separate Socket.IO connection. */
export async function serverState(baseUrl: string): Promise<{ seq: number; state: Record<string, number> }> {
  const socket = io(`${baseUrl}/signals`, { transports: ['websocket'], reconnection: false, forceNew: true });
  try {
    const snapshot = await new Promise<SignalsSnapshotPayload>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no snapshot within 10 s')), 10_000);
      socket.once('signals.snapshot', (payload: SignalsSnapshotPayload) => {
        clearTimeout(timer);
        resolve(payload);
      });
      socket.once('connect_error', (error) => reject(error));
    });
    return { seq: snapshot.seq, state: Object.fromEntries(snapshot.signals.map((s) => [s.id, s.version])) };
  } finally {
    socket.disconnect();
  }
}
