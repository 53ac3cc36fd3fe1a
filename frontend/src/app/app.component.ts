import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { SignalsStore } from '@app/core/signals/signals.store';
import { SignalsSocketService } from '@app/core/socket/signals-socket.service';
import { ThemeService } from '@app/core/theme/theme.service';
import { ConnectionBadgeComponent } from '@app/shared/connection-badge.component';

@Component({
  selector: 'app-root',
  imports: [RouterOutlet, RouterLink, RouterLinkActive, ConnectionBadgeComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <a class="skip" href="#content">Skip to content</a>
    <header class="topbar">
      <a class="brand" routerLink="/">Signal Scanner</a>
      <nav aria-label="Main">
        <a
          routerLink="/"
          routerLinkActive="active"
          [routerLinkActiveOptions]="{ exact: true }"
          ariaCurrentWhenActive="page"
          >Live</a
        >
        <a routerLink="/matrix" routerLinkActive="active" ariaCurrentWhenActive="page">Matrix</a>
        <a routerLink="/history" routerLinkActive="active" ariaCurrentWhenActive="page">History</a>
        <a routerLink="/alerts" routerLinkActive="active" ariaCurrentWhenActive="page">Alerts</a>
        <a routerLink="/research" routerLinkActive="active" ariaCurrentWhenActive="page">Research</a>
        <a routerLink="/system" routerLinkActive="active" ariaCurrentWhenActive="page">System</a>
      </nav>
      <app-connection-badge [state]="socket.state()" [attempt]="socket.attempt()" />
      <button
        type="button"
        class="theme"
        (click)="theme.toggle()"
        [attr.aria-label]="'Switch to ' + (theme.theme() === 'dark' ? 'light' : 'dark') + ' theme'"
        data-testid="theme-toggle"
      >
        {{ theme.theme() === 'dark' ? '☀' : '☾' }}
      </button>
    </header>
    <main id="content" tabindex="-1"><router-outlet /></main>
  `,
  styles: `
    .skip {
      position: absolute;
      left: -999px;
      top: 0;
    }
    .skip:focus {
      left: 0.5rem;
      top: 0.5rem;
      z-index: 100;
      background: var(--surface);
      padding: 0.3rem 0.6rem;
    }
    .topbar {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.5rem 1.25rem;
      padding: 0.6rem 1rem;
      border-bottom: 1px solid var(--border);
      background: var(--surface);
      position: sticky;
      top: 0;
      z-index: 30;
    }
    .brand {
      font-weight: 700;
      color: var(--text);
      text-decoration: none;
    }
    nav {
      display: flex;
      gap: 1rem;
      flex: 1;
    }
    nav a {
      color: var(--muted);
      text-decoration: none;
      padding: 0.2rem 0;
      border-bottom: 2px solid transparent;
    }
    nav a.active {
      color: var(--text);
      border-bottom-color: var(--accent);
    }
    .theme {
      padding: 0.15rem 0.5rem;
    }
    main {
      padding: 1rem;
      max-width: 1920px;
      margin: 0 auto;
      outline: none;
    }
    @media (max-width: 480px) {
      nav {
        order: 3;
        flex-basis: 100%;
      }
      main {
        padding: 0.75rem;
      }
    }
  `,
})
export class AppComponent {
  protected readonly socket = inject(SignalsSocketService);
  protected readonly theme = inject(ThemeService);
  // Created at start-up so the live state is being kept whatever page opens first.
  protected readonly store = inject(SignalsStore);
}
