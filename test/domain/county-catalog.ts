import { readFileSync } from 'node:fs';
import { catalogSchema } from '../../domain/catalog';

/** The county's real catalog, so the tests also prove config/county.json loads. */
export const catalog = catalogSchema.parse(JSON.parse(readFileSync(new URL('../../config/county.json', import.meta.url), 'utf8')));
