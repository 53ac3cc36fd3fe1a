import { HttpClient, httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import type { ScoringVersion, ScoringVersionDetail } from '@scanner/contracts';
import { firstValueFrom } from 'rxjs';
import { describeAdminError } from './admin.store';
import { activateQuestion, changeLines, versionSummary } from './scoring-versions';

/**
 * Scoring versions (issue 18): every version of the engine configuration, the active one marked;
 * activate another (after a confirm) and read what a version changes against the active one.
 * Shown inside the admin panel, so the admin key is set.
 */
@Component({
  selector: 'app-scoring-versions',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h3>Scoring versions</h3>
    <div data-testid="scoring-versions">
      @if (error(); as text) {
        <p class="error-text small" role="alert">{{ text }}</p>
      }
      <ul class="versions small">
        @for (v of versions(); track v.id) {
          <li [class.active]="v.active" data-testid="scoring-version" [attr.data-id]="v.id">
            <strong>v{{ v.id }}</strong>
            @if (v.active) {
              <span class="badge" data-testid="scoring-version-active">active</span>
            }
            <span class="muted"
              >{{ v.note || 'no note' }} · {{ v.createdAt.slice(0, 16).replace('T', ' ') }} UTC</span
            >
            <div>{{ summary(v) }}</div>
            <div class="row-actions">
              @if (!v.active) {
                <button
                  type="button"
                  class="small-btn"
                  (click)="activate(v)"
                  [disabled]="pending() !== null"
                  data-testid="scoring-version-activate"
                >
                  Activate
                </button>
              }
              <button
                type="button"
                class="small-btn"
                (click)="toggleDiff(v.id)"
                [attr.aria-expanded]="diffId() === v.id"
                data-testid="scoring-version-diff"
              >
                {{ diffId() === v.id ? 'Hide changes' : 'Changes vs active' }}
              </button>
            </div>
            @if (diffId() === v.id) {
              @if (diff(); as d) {
                @if (d.length === 0) {
                  <p class="muted" data-testid="scoring-version-changes">
                    Same settings as the active version.
                  </p>
                } @else {
                  <ul data-testid="scoring-version-changes">
                    @for (line of d; track line) {
                      <li>{{ line }}</li>
                    }
                  </ul>
                }
              } @else if (diffError(); as text) {
                <p class="error-text" role="alert">{{ text }}</p>
              } @else {
                <p class="muted">Loading…</p>
              }
            }
          </li>
        } @empty {
          @if (!error()) {
            <li class="muted">Loading…</li>
          }
        }
      </ul>
      @if (result(); as r) {
        <p class="small" [class.error-text]="!r.ok" role="status" data-testid="scoring-version-result">
          {{ r.text }}
        </p>
      }
    </div>
  `,
  styles: `
    .versions {
      list-style: none;
      padding: 0;
      margin: 0;
      display: grid;
      gap: 0.4rem;
    }
    .versions > li {
      border-left: 3px solid transparent;
      padding-left: 0.4rem;
    }
    .versions > li.active {
      border-left-color: currentColor;
    }
    .badge {
      margin: 0 0.4rem;
      padding: 0 0.3rem;
      border: 1px solid currentColor;
      border-radius: 0.3rem;
      font-size: 0.75rem;
    }
    .row-actions {
      display: flex;
      gap: 0.4rem;
      margin-top: 0.2rem;
    }
  `,
})
export class ScoringVersionsComponent {
  private readonly http = inject(HttpClient);
  private readonly listResource = httpResource<ScoringVersion[]>(() => '/api/admin/scoring-versions');
  protected readonly versions = computed(() =>
    this.listResource.hasValue() ? [...(this.listResource.value() ?? [])].reverse() : [],
  );
  protected readonly error = computed(() => {
    const error = this.listResource.error();
    return error ? describeAdminError(error) : null;
  });

  protected readonly diffId = signal<number | null>(null);
  private readonly detailResource = httpResource<ScoringVersionDetail>(() => {
    const id = this.diffId();
    return id === null ? undefined : `/api/admin/scoring-versions/${id}`;
  });
  protected readonly diff = computed(() =>
    this.detailResource.hasValue() && this.detailResource.value()?.id === this.diffId()
      ? changeLines(this.detailResource.value()!.changesFromActive)
      : null,
  );
  protected readonly diffError = computed(() => {
    const error = this.detailResource.error();
    return error ? describeAdminError(error) : null;
  });

  protected readonly pending = signal<number | null>(null);
  protected readonly result = signal<{ ok: boolean; text: string } | null>(null);

  protected readonly summary = versionSummary;

  protected toggleDiff(id: number): void {
    this.diffId.set(this.diffId() === id ? null : id);
  }

  protected async activate(version: ScoringVersion): Promise<void> {
    const active = this.versions().find((v) => v.active);
    if (!confirm(activateQuestion(version, active))) return;
    this.pending.set(version.id);
    this.result.set(null);
    try {
      await firstValueFrom(this.http.post(`/api/admin/scoring-versions/${version.id}/activate`, {}));
      this.result.set({ ok: true, text: `Scoring version ${version.id} is active.` });
      this.listResource.reload();
      this.detailResource.reload();
    } catch (error) {
      this.result.set({ ok: false, text: describeAdminError(error) });
    } finally {
      this.pending.set(null);
    }
  }
}
