/** Project codes (项目编号) such as `ZS-2026-0001`: year of registration and a sequence within it. */
import { foldWidth } from './text';

/** The parts of a project code. */
export interface ProjectCodeParts {
  year: number;
  seq: number;
}

/**
 * `ZS-<year>-<seq>`, the sequence padded to four digits and growing past 9999 (`ZS-2026-10000`).
 * Throws a RangeError for a year outside 1000–9999 or a sequence below 1: those are bugs, not input.
 */
export function formatProjectCode(year: number, seq: number): string {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) throw new RangeError(`bad project year: ${year}`);
  if (!Number.isInteger(seq) || seq < 1) throw new RangeError(`bad project sequence: ${seq}`);
  return `ZS-${year}-${String(seq).padStart(4, '0')}`;
}

/**
 * Reads a project code as people type it: any case, full-width characters, spaces, `-` or `_`,
 * unpadded sequence (`zs-2026-1`). Anything else → null.
 */
export function parseProjectCode(text: string): ProjectCodeParts | null {
  const match = /^zs[\s_-]*(\d{4})[\s_-]*(\d{1,9})$/iu.exec(foldWidth(text).trim());
  if (!match) return null;
  const seq = Number(match[2]);
  return seq >= 1 ? { year: Number(match[1]), seq } : null;
}
