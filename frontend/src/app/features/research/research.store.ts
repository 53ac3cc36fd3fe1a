import { HttpClient, HttpErrorResponse, httpResource } from '@angular/common/http';
import { computed, DestroyRef, inject, Injectable, signal } from '@angular/core';
import type {
  Replay,
  ReplayDeleted,
  ReplayProgress,
  ReplayRequest,
  ScoringVersion,
} from '@scanner/contracts';
import { firstValueFrom } from 'rxjs';
import { AdminKeyService } from '@app/core/admin/admin-key.service';
import { describeHttpError } from '@app/core/http/describe-http-error';
import { SignalsSocketService } from '@app/core/socket/signals-socket.service';
import { isLive, withProgress } from './replay-view';

const BASE = '/api/admin/replays';

/** An admin call's failure in words: a rejected key, a disabled admin API, or the server's 400 message. */
export function describeResearchError(error: unknown, what: string): string {
  if (error instanceof HttpErrorResponse) {
    if (error.status === 401)
      return 'The admin key was rejected (401 Unauthorized). Check it against ADMIN_API_KEY on the server and enter it again.';
    if (error.status === 403)
      return 'The admin API is disabled on the server (403): set ADMIN_API_KEY there to run replays.';
    if (error.status === 400) {
      const body = error.error as { message?: string | string[] } | null;
      const message = Array.isArray(body?.message) ? body.message.join('; ') : body?.message;
      return `The server refused ${what} (400): ${message ?? 'no reason given'}`;
    }
  }
  return describeHttpError(error, what);
}

/**
 * A/B replays over the admin API (X-API-Key added by the interceptor): the scoring versions, the list,
 * the replay being read; progress comes from the socket (`replay.progress`) and is applied to both.
 */
@Injectable()
export class ResearchStore {
  private readonly http = inject(HttpClient);
  private readonly socket = inject(SignalsSocketService);
  readonly key = inject(AdminKeyService);

  private readonly versionsResource = httpResource<ScoringVersion[]>(() =>
    this.key.key() ? '/api/admin/scoring-versions' : undefined,
  );
  readonly versions = computed(() =>
    this.versionsResource.hasValue() ? (this.versionsResource.value() ?? []) : [],
  );
  readonly versionsLoading = this.versionsResource.isLoading;
  readonly versionsError = computed(() => {
    const error = this.versionsResource.error();
    return error ? describeResearchError(error, 'the scoring versions') : null;
  });

  private readonly listResource = httpResource<Replay[]>(() => (this.key.key() ? BASE : undefined));
  /** Newest socket progress per replay id. */
  private readonly progress = signal<ReadonlyMap<number, ReplayProgress>>(new Map());
  readonly replays = computed(() => {
    const list = this.listResource.hasValue() ? (this.listResource.value() ?? []) : [];
    const progress = this.progress();
    return list.map((r) => withProgress(r, progress.get(r.id)));
  });
  readonly listLoading = this.listResource.isLoading;
  readonly listError = computed(() => {
    const error = this.listResource.error();
    return error ? describeResearchError(error, 'the replays') : null;
  });
  readonly listLoaded = computed(() => this.listResource.hasValue());

  /** The replay opened for reading. */
  readonly selectedId = signal<number | null>(null);
  private readonly detailResource = httpResource<Replay>(() => {
    const id = this.selectedId();
    return id !== null && this.key.key() ? `${BASE}/${id}` : undefined;
  });
  /** The replay as POST answered it, shown until its first read arrives. */
  private readonly started = signal<Replay | null>(null);
  readonly selected = computed(() => {
    const id = this.selectedId();
    const read = this.detailResource.hasValue() ? this.detailResource.value() : undefined;
    const replay = read?.id === id ? read : this.started()?.id === id ? this.started() : null;
    return replay ? withProgress(replay, this.progress().get(replay.id)) : null;
  });
  readonly selectedLoading = this.detailResource.isLoading;
  readonly selectedError = computed(() => {
    const error = this.detailResource.error();
    return error ? describeResearchError(error, `replay ${this.selectedId()}`) : null;
  });

  private readonly busySignal = signal(false);
  readonly busy = this.busySignal.asReadonly();
  private readonly outcomeSignal = signal<{ ok: boolean; text: string } | null>(null);
  readonly outcome = this.outcomeSignal.asReadonly();

  constructor() {
    const subscription = this.socket.replayProgress.subscribe((p) => this.onProgress(p));
    inject(DestroyRef).onDestroy(() => subscription.unsubscribe());
  }

  private onProgress(p: ReplayProgress): void {
    const known = this.progress().get(p.id);
    this.progress.update((map) => new Map(map).set(p.id, p));
    // A replay the list does not hold yet (started elsewhere), or one that just finished: read it again.
    const listed = this.replays().some((r) => r.id === p.id);
    const finished = !isLive(p.status) && (known === undefined || isLive(known.status));
    if (!listed || finished) this.listResource.reload();
    if (finished && this.selectedId() === p.id) this.detailResource.reload();
  }

  reload(): void {
    this.versionsResource.reload();
    this.listResource.reload();
    this.detailResource.reload();
  }

  open(id: number): void {
    if (this.selectedId() === id) this.detailResource.reload();
    else this.selectedId.set(id);
  }

  async start(request: ReplayRequest): Promise<Replay | null> {
    return this.act(async () => {
      const replay = await firstValueFrom(this.http.post<Replay>(BASE, request));
      this.progress.update((map) => new Map(map).set(replay.id, replay.progress));
      this.started.set(replay);
      this.listResource.reload();
      this.selectedId.set(replay.id);
      return [replay, `Replay ${replay.id} started: ${replay.progress.seriesTotal} series.`] as const;
    }, 'the replay');
  }

  async cancel(replay: Replay): Promise<boolean> {
    const done = await this.act(
      async () => {
        const answer = await firstValueFrom(this.http.delete<ReplayDeleted>(`${BASE}/${replay.id}`));
        this.listResource.reload();
        if (answer.deleted && this.selectedId() === replay.id) this.selectedId.set(null);
        else this.detailResource.reload();
        const text = answer.deleted
          ? `Replay ${replay.id} deleted.`
          : `Replay ${replay.id}: cancel asked — it stops before its next series.`;
        return [true, text] as const;
      },
      replay.status === 'queued' || replay.status === 'running' ? 'the cancel' : 'the delete',
    );
    return done === true;
  }

  private async act<T>(work: () => Promise<readonly [T, string]>, what: string): Promise<T | null> {
    this.busySignal.set(true);
    this.outcomeSignal.set(null);
    try {
      const [value, text] = await work();
      this.outcomeSignal.set({ ok: true, text });
      return value;
    } catch (error) {
      this.outcomeSignal.set({ ok: false, text: describeResearchError(error, what) });
      return null;
    } finally {
      this.busySignal.set(false);
    }
  }
}
