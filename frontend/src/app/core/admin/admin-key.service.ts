import { Injectable, signal } from '@angular/core';

const STORAGE_KEY = 'scanner.adminKey';

/** The admin API key typed on the system page. Kept in sessionStorage only: gone when the tab closes. */
@Injectable({ providedIn: 'root' })
export class AdminKeyService {
  private readonly keySignal = signal<string | null>(read());
  readonly key = this.keySignal.asReadonly();

  set(key: string): void {
    const trimmed = key.trim();
    if (!trimmed) return this.clear();
    sessionStorage.setItem(STORAGE_KEY, trimmed);
    this.keySignal.set(trimmed);
  }

  clear(): void {
    sessionStorage.removeItem(STORAGE_KEY);
    this.keySignal.set(null);
  }
}

function read(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}
