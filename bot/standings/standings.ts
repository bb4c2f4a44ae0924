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

/** 考核排名 for a period, each unit with its change since the period before. */
export function createStandings(deps: { repo: StandingsRepository; rules: ScoringRules; timeZone: string; clock: Clock }) {
  const today = (): IsoDate => dateInZone(deps.clock(), deps.timeZone);
  const bounds = (p: Period) => ({ from: p.from, to: p.to, ...periodInstants(p, deps.timeZone), asOf: periodAsOf(p, today()) });
  return {
    today,
    compute(period: Period): Standings {
      const previous = previousPeriod(period);
      const [now, before] = deps.repo
        .unitFacts([bounds(period), bounds(previous)])
        .map((units) => rankUnits(units.map((facts) => scoreUnit(facts, deps.rules))));
      return { period, previous, rows: compareWithPrevious(now!, before!) };
    },
  };
}

export type StandingsService = ReturnType<typeof createStandings>;
