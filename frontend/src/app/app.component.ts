import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { ConnectionBadgeComponent } from '@app/shared/connection-badge.component';
import { SignalsSocketService } from '@app/core/socket/signals-socket.service';

@Component({
  selector: 'app-root',
  imports: [RouterOutlet, RouterLink, RouterLinkActive, ConnectionBadgeComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <header class="topbar">
      <a class="brand" routerLink="/">Signal Scanner</a>
      <nav aria-label="Main">
        <a routerLink="/" routerLinkActive="active" [routerLinkActiveOptions]="{ exact: true }">Live</a>
      </nav>
      <app-connection-badge [state]="socket.state()" [attempt]="socket.attempt()" />
    </header>
    <main><router-outlet /></main>
  `,
  styles: `
    .topbar { display: flex; align-items: center; gap: 1.5rem; padding: 0.75rem 1.25rem; border-bottom: 1px solid var(--border); background: var(--surface); }
    .brand { font-weight: 700; color: var(--text); text-decoration: none; }
    nav { display: flex; gap: 1rem; flex: 1; }
    nav a { color: var(--muted); text-decoration: none; }
    nav a.active { color: var(--text); }
    main { padding: 1.25rem; }
  `,
})
export class AppComponent {
  protected readonly socket = inject(SignalsSocketService);
}
