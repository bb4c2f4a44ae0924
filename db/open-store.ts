import { openPostgresStore } from './postgres-store';
import { openSqliteStore } from './sqlite-store';
import type { Store } from './store';

/** PostgreSQL when a URL is given, else the SQLite file; migrations applied either way. */
export async function openStore(where: { databaseUrl?: string; databasePath: string }): Promise<Store> {
  return where.databaseUrl ? openPostgresStore(where.databaseUrl) : openSqliteStore(where.databasePath);
}

/** Where the data lives, for logs: never the password. */
export function describeStore(where: { databaseUrl?: string; databasePath: string }): string {
  if (!where.databaseUrl) return where.databasePath;
  const url = new URL(where.databaseUrl);
  url.password = '';
  return url.toString();
}
