/**
 * The streaming contract every indicator follows (modelled on trading-signals):
 * - `add(input)` commits a closed bar and returns the new result;
 * - `replace(input)` gives the provisional result for the still-open bar WITHOUT committing it.
 *   Each call replaces the previous provisional bar, and the next `add()` discards it, so
 *   `replace(open); replace(open'); add(closed)` leaves exactly the state of `add(closed)`.
 *   (trading-signals instead `add`s the open bar first and then `replace`s it; here only closed
 *   bars are ever committed, which is what makes "no repainting" structural.)
 * - `getResult()` is null during warm-up; after `replace()` it is the provisional result.
 * - `commit()` / `preview()` are the allocation-free forms used by IndicatorSet.
 * - `getState()` / `setState()` round-trip the committed state through JSON.
 */
export interface StreamingIndicator<Input, Result, State> {
  readonly isStable: boolean;
  add(input: Input): Result | null;
  replace(input: Input): Result | null;
  commit(input: Input): void;
  preview(input: Input): void;
  getRequiredInputs(): number;
  getResult(): Result | null;
  getState(): State;
  setState(state: State): void;
  reset(): void;
}

export function nullIfNaN(value: number): number | null {
  return value === value ? value : null;
}
