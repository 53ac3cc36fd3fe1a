import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { AdminKeyService } from '@app/core/admin/admin-key.service';

/**
 * The "Admin key needed" panel of the pages behind the admin API (alerts, research): one password
 * field whose value goes to the AdminKeyService (sessionStorage) and is wiped from the field.
 * `name` prefixes the ids and test ids (`<name>-admin-key`, `<name>-key-title`); the content is the
 * page's note under the field.
 */
@Component({
  selector: 'app-admin-key-gate',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="panel" [attr.aria-labelledby]="name() + '-key-title'">
      <h2 [id]="name() + '-key-title'">Admin key needed</h2>
      <form (submit)="$event.preventDefault(); save(keyInput)" class="row">
        <label [attr.for]="name() + '-admin-key'">Admin API key</label>
        <input
          #keyInput
          [id]="name() + '-admin-key'"
          type="password"
          autocomplete="off"
          required
          [attr.data-testid]="name() + '-admin-key'"
        />
        <button type="submit">Use key</button>
        <p class="muted small"><ng-content /></p>
      </form>
    </section>
  `,
  styles: `
    .row {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
      align-items: center;
    }
    .small {
      font-size: 0.8rem;
    }
  `,
})
export class AdminKeyGateComponent {
  readonly name = input.required<string>();
  private readonly key = inject(AdminKeyService);

  protected save(field: HTMLInputElement): void {
    this.key.set(field.value);
    field.value = '';
  }
}
