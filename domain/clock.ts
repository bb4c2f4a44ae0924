/** Milliseconds since the epoch. Injected everywhere time matters, so tests can move it. */
export type Clock = () => number;

/** The calendar year at `epochMs` in `timeZone` (a project code's year is the county's year). */
export function yearIn(timeZone: string, epochMs: number): number {
  return Number(new Intl.DateTimeFormat('en', { timeZone, year: 'numeric' }).format(epochMs));
}
