import { HttpClient, HttpErrorResponse, httpResource } from '@angular/common/http';
import { computed, inject, Injectable, signal } from '@angular/core';
import type { ReconcileStatus } from '@scanner/contracts';
import { firstValueFrom } from 'rxjs';
import { AdminKeyService } from '@app/core/admin/admin-key.service';
import { describeHttpError } from '@app/core/http/describe-http-error';
import { readAdminStatus } from './admin-status';
import { reconcileSummary } from './reconcile-summary';

export type AdminAction = 'scan' | 'scanner/pause' | 'scanner/resume' | 'reconcile';

/** Explains an admin call's failure; 401 and a disabled admin API get their own words. */
export function describeAdminError(error: unknown): string {
  if (error instanceof HttpErrorResponse) {
    if (error.status === 401)
      return 'The admin key was rejected (401 Unauthorized). Check it against ADMIN_API_KEY on the server and enter it again.';
    if (error.status === 403)
      return 'The admin API refused the request (403): admin endpoints may be disabled (no ADMIN_API_KEY set on the server).';
  }
  return describeHttpError(error, 'the admin endpoint');
}

@Injectable()
export class AdminStore {
  private readonly http = inject(HttpClient);
  readonly key = inject(AdminKeyService);
  private readonly pendingSignal = signal<AdminAction | null>(null);
  private readonly resultSignal = signal<{ ok: boolean; text: string } | null>(null);

  readonly pending = this.pendingSignal.asReadonly();
  readonly result = this.resultSignal.asReadonly();

  private readonly statusResource = httpResource<unknown>(() =>
    this.key.key() ? '/api/admin/status' : undefined,
  );
  readonly raw = computed(() => (this.statusResource.hasValue() ? this.statusResource.value() : null));
  readonly status = computed(() => (this.raw() === null ? null : readAdminStatus(this.raw())));
  readonly error = computed(() => {
    const error = this.statusResource.error();
    return error ? describeAdminError(error) : null;
  });
  readonly unauthorized = computed(
    () => (this.statusResource.error() as HttpErrorResponse | undefined)?.status === 401,
  );
  readonly loading = this.statusResource.isLoading;

  private readonly reconcileResource = httpResource<ReconcileStatus>(() =>
    this.key.key() ? '/api/admin/reconcile' : undefined,
  );
  /** The last reconciliation (null before the first, or while it cannot be read). */
  readonly reconcile = computed(() =>
    this.reconcileResource.hasValue() ? reconcileSummary(this.reconcileResource.value()?.last) : null,
  );
  readonly reconcileError = computed(() => {
    const error = this.reconcileResource.error();
    return error ? describeAdminError(error) : null;
  });

  refresh(): void {
    this.statusResource.reload();
    this.reconcileResource.reload();
  }

  async run(action: AdminAction): Promise<void> {
    this.pendingSignal.set(action);
    this.resultSignal.set(null);
    try {
      await firstValueFrom(this.http.post(`/api/admin/${action}`, {}));
      const done = {
        scan: 'Scan queued.',
        'scanner/pause': 'Scanner paused.',
        'scanner/resume': 'Scanner resumed.',
        reconcile: 'Reconciliation queued: Refresh shows its result when it is done.',
      }[action];
      this.resultSignal.set({ ok: true, text: done });
      this.statusResource.reload();
      this.reconcileResource.reload();
    } catch (error) {
      this.resultSignal.set({ ok: false, text: describeAdminError(error) });
    } finally {
      this.pendingSignal.set(null);
    }
  }
}
