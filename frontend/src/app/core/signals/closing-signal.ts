import type { Signal } from '@scanner/contracts';

/** How long a closed signal stays on the live grid, showing its outcome, before it leaves. */
export const CLOSING_LINGER_MS = 4_000;

export interface LiveEntry {
  signal: Signal;
  /** Set while a just-closed signal fades out. */
  closing: boolean;
}
