import { Logger, OnModuleDestroy } from '@nestjs/common';
import { OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import {
  ClientToServerEvents,
  ServerToClientEvents,
  SIGNALS_NAMESPACE,
  SocketEvents,
  type ReplayProgress,
} from '@scanner/contracts';
import type { Namespace } from 'socket.io';
import { ReplayService } from '../signal-engine';

type ReplayNamespace = Namespace<ClientToServerEvents, ServerToClientEvents>;

/** How often the replays' progress is read while sockets are connected. */
export const REPLAY_PROGRESS_INTERVAL_MS = 1_000;

/** The progress entries that changed since `sent` (which it updates), finished ones forgotten once sent. */
export function changedProgress(
  sent: Map<number, string>,
  current: readonly ReplayProgress[],
): ReplayProgress[] {
  const changed: ReplayProgress[] = [];
  const seen = new Set<number>();
  for (const progress of current) {
    seen.add(progress.id);
    const key = `${progress.status}:${progress.seriesDone}:${progress.candles}`;
    if (sent.get(progress.id) === key) continue;
    sent.set(progress.id, key);
    changed.push(progress);
  }
  for (const id of [...sent.keys()]) if (!seen.has(id)) sent.delete(id);
  return changed;
}

/**
 * `replay.progress` on the /signals namespace: the progress of queued and running replays (and the last
 * word of one just finished), read from the database every second while sockets are connected, so a
 * replay running in a worker process is seen from every api process; only changes are sent.
 */
@WebSocketGateway({ namespace: SIGNALS_NAMESPACE })
export class ReplayProgressGateway implements OnGatewayInit, OnModuleDestroy {
  private readonly logger = new Logger(ReplayProgressGateway.name);
  private readonly sent = new Map<number, string>();
  private timer: NodeJS.Timeout | null = null;
  private reading = false;

  constructor(private readonly replays: ReplayService) {}

  afterInit(namespace: ReplayNamespace): void {
    this.timer = setInterval(() => void this.publish(namespace), REPLAY_PROGRESS_INTERVAL_MS);
    this.timer.unref();
  }

  private async publish(namespace: ReplayNamespace): Promise<void> {
    if (this.reading || namespace.sockets.size === 0) return;
    this.reading = true;
    try {
      for (const progress of changedProgress(this.sent, await this.replays.recentProgress()))
        namespace.emit(SocketEvents.replayProgress, progress);
    } catch (error) {
      this.logger.warn(`replay progress not read: ${(error as Error).message}`);
    } finally {
      this.reading = false;
    }
  }

  onModuleDestroy(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}
