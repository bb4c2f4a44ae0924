import { sql } from 'drizzle-orm';
import type { Db } from './client';

export interface LostProject {
  code: string;
  name: string;
  investor: string;
  reason: string;
  at: number;
}

export interface SummonsHeld {
  code: string;
  name: string;
  when: string;
  topic: string;
  attendees: string[];
}

/** What the quarterly bulletin reports besides the standings, read from the project history. */
export function createBulletinRepository({ db }: { db: Db }) {
  return {
    lostBetween(fromMs: number, toMs: number): LostProject[] {
      return db.all<LostProject>(sql`
        select p.code, p.name, p.investor, coalesce(json_extract(h.changes, '$.reason'), '') reason, h.at
        from project_history h join projects p on p.id = h.project_id
        where h.action = 'stage_moved' and json_extract(h.changes, '$.to') = 'lost' and h.at >= ${fromMs} and h.at < ${toMs}
        order by h.at`);
    },
    summonsBetween(fromMs: number, toMs: number): SummonsHeld[] {
      return db
        .all<{ code: string; name: string; changes: string }>(sql`
          select p.code, p.name, h.changes from project_history h join projects p on p.id = h.project_id
          where h.action = 'summons' and h.at >= ${fromMs} and h.at < ${toMs} order by h.at`)
        .map((r) => {
          const c = JSON.parse(r.changes) as { when?: string; topic?: string; attendees?: string[] };
          return { code: r.code, name: r.name, when: c.when ?? '', topic: c.topic ?? '', attendees: c.attendees ?? [] };
        });
    },
  };
}

export type BulletinRepository = ReturnType<typeof createBulletinRepository>;
