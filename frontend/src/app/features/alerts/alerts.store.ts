import { HttpClient, HttpErrorResponse, httpResource } from '@angular/common/http';
import { computed, inject, Injectable, signal } from '@angular/core';
import type {
  AlertDelivery,
  AlertDeliveryPage,
  AlertRule,
  AlertRuleInput,
  AlertTestResult,
} from '@scanner/contracts';
import { firstValueFrom } from 'rxjs';
import { AdminKeyService } from '@app/core/admin/admin-key.service';
import { describeHttpError } from '@app/core/http/describe-http-error';

const BASE = '/api/admin/alert-rules';

/** An admin call's failure in words: a rejected key, a disabled admin API, or the server's message (400s name the field). */
export function describeAlertsError(error: unknown, what: string): string {
  if (error instanceof HttpErrorResponse) {
    if (error.status === 401)
      return 'The admin key was rejected (401 Unauthorized). Check it against ADMIN_API_KEY on the server and enter it again.';
    if (error.status === 403)
      return 'The admin API is disabled on the server (403): set ADMIN_API_KEY there to manage alert rules.';
    if (error.status === 400) {
      const body = error.error as { message?: string | string[] } | null;
      const message = Array.isArray(body?.message) ? body.message.join('; ') : body?.message;
      return message ?? 'The server refused the request (400).';
    }
  }
  return describeHttpError(error, what);
}

export type Outcome = { ok: boolean; text: string } | null;

/** Alert rules over the admin API (X-API-Key added by the admin-key interceptor). */
@Injectable()
export class AlertsStore {
  private readonly http = inject(HttpClient);
  readonly key = inject(AdminKeyService);

  private readonly rulesResource = httpResource<AlertRule[]>(() => (this.key.key() ? BASE : undefined));
  readonly rules = computed(() => (this.rulesResource.hasValue() ? (this.rulesResource.value() ?? []) : []));
  readonly loading = this.rulesResource.isLoading;
  readonly error = computed(() => {
    const error = this.rulesResource.error();
    return error ? describeAlertsError(error, 'the alert rules') : null;
  });

  private readonly outcomeSignal = signal<Outcome>(null);
  readonly outcome = this.outcomeSignal.asReadonly();
  private readonly busySignal = signal(false);
  readonly busy = this.busySignal.asReadonly();

  /** The rule whose delivery log is open, and that log. */
  readonly logRule = signal<AlertRule | null>(null);
  private readonly logResource = httpResource<AlertDeliveryPage>(() => {
    const rule = this.logRule();
    return rule && this.key.key() ? `${BASE}/${encodeURIComponent(rule.id)}/deliveries?limit=200` : undefined;
  });
  readonly deliveries = computed<AlertDelivery[]>(() =>
    this.logResource.hasValue() ? (this.logResource.value()?.deliveries ?? []) : [],
  );
  readonly logError = computed(() => {
    const error = this.logResource.error();
    return error ? describeAlertsError(error, 'the delivery log') : null;
  });

  reload(): void {
    this.rulesResource.reload();
    this.logResource.reload();
  }

  /** Creates (no id) or replaces a rule; returns whether it was saved (errors go to `outcome`). */
  async save(id: string | null, input: AlertRuleInput): Promise<boolean> {
    return this.act(async () => {
      const saved =
        id === null
          ? await firstValueFrom(this.http.post<AlertRule>(BASE, input))
          : await firstValueFrom(this.http.put<AlertRule>(`${BASE}/${encodeURIComponent(id)}`, input));
      this.rulesResource.reload();
      return `Saved “${saved.name}”.`;
    }, 'the rule');
  }

  async remove(rule: AlertRule): Promise<boolean> {
    return this.act(async () => {
      await firstValueFrom(this.http.delete(`${BASE}/${encodeURIComponent(rule.id)}`));
      if (this.logRule()?.id === rule.id) this.logRule.set(null);
      this.rulesResource.reload();
      return `Deleted “${rule.name}”.`;
    }, 'the rule');
  }

  async sendTest(rule: AlertRule): Promise<boolean> {
    return this.act(async () => {
      const results = await firstValueFrom(
        this.http.post<AlertTestResult[]>(`${BASE}/${encodeURIComponent(rule.id)}/test`, {}),
      );
      this.logResource.reload();
      const lines = results.map(
        (r) =>
          `${r.channelType} ${r.channelId}: ${r.ok ? 'sent' : 'failed'} (HTTP ${r.status || '—'}${r.answer ? `, ${r.answer}` : ''})`,
      );
      if (results.some((r) => !r.ok)) throw new Error(`Test of “${rule.name}”: ${lines.join('; ')}`);
      return `Test of “${rule.name}”: ${lines.join('; ')}`;
    }, 'the test');
  }

  clearOutcome(): void {
    this.outcomeSignal.set(null);
  }

  private async act(work: () => Promise<string>, what: string): Promise<boolean> {
    this.busySignal.set(true);
    this.outcomeSignal.set(null);
    try {
      this.outcomeSignal.set({ ok: true, text: await work() });
      return true;
    } catch (error) {
      const text =
        error instanceof HttpErrorResponse ? describeAlertsError(error, what) : (error as Error).message;
      this.outcomeSignal.set({ ok: false, text });
      return false;
    } finally {
      this.busySignal.set(false);
    }
  }
}
