import type { StandingsRepository } from '../../db/standings-repository';
import { dateInZone, type IsoDate } from '../../domain/calendar-date';
import type { Clock } from '../../domain/clock';
import { type Period, periodAsOf, periodInstants, previousPeriod } from '../../domain/periods';
import { compareWithPrevious, rankUnits, type ScoringRules, type StandingChange, scoreUnit } from '../../domain/scoring';

export interface Standings {
  period: Period;
  previous: Period;
  rows: StandingChange[];
}

/** Standings kept for the periods asked most recently (this quarter, the last, a month or two). */
const CACHED_PERIODS = 16;

/**
 * 考核排名 for a period, each unit with its change since the period before. Reading the facts of
 * 100,000 projects takes a few hundred ms, and people ask for the same quarter over and over
 * between changes: the result is kept by period, day and the data's version (which any change
 * that counts moves), so a repeat costs one indexed read until something changes.
 */
export function createStandings(deps: { repo: StandingsRepository; rules: ScoringRules; timeZone: string; clock: Clock }) {
  const today = (): IsoDate => dateInZone(deps.clock(), deps.timeZone);
  const bounds = (p: Period) => ({ from: p.from, to: p.to, ...periodInstants(p, deps.timeZone), asOf: periodAsOf(p, today()) });
  const cache = new Map<string, Standings>();
  return {
    today,
    async compute(period: Period): Promise<Standings> {
      const key = `${period.label}:${period.from}~${period.to}@${today()}#${await deps.repo.dataVersion()}`;
      const kept = cache.get(key);
      if (kept) return kept;
      const previous = previousPeriod(period);
      const [now, before] = (await deps.repo.unitFacts([bounds(period), bounds(previous)])).map((units) =>
        rankUnits(units.map((facts) => scoreUnit(facts, deps.rules))),
      );
      const standings = { period, previous, rows: compareWithPrevious(now!, before!) };
      cache.set(key, standings);
      // Oldest first in a Map: drop it.
      if (cache.size > CACHED_PERIODS) cache.delete(cache.keys().next().value!);
      return standings;
    },
  };
}

export type StandingsService = ReturnType<typeof createStandings>;
