/**
 * A repository's methods as its callers see them: every one answers with a promise, as a
 * PostgreSQL-backed repository must. While a repository still answers synchronously from SQLite
 * underneath, this gives it that face, so callers are written for both; awaiting a plain value is
 * harmless. Removed repository by repository as each becomes asynchronous itself.
 */
export type Asyncify<T> = { [K in keyof T]: T[K] extends (...a: infer A) => infer R ? (...a: A) => Promise<R> : T[K] };

export function asyncify<T>(repository: T): Asyncify<T> {
  return repository as unknown as Asyncify<T>;
}
