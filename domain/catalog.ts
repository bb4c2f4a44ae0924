/**
 * The county's own lists of industries and 招商方式 channels (config/county.json). They are
 * configuration, not code: a county edits names and aliases, the database stores channel codes.
 */
import { z } from 'zod';
import { type ChoiceLabel, closestChoices, matchKey } from './text';

const nonBlank = z.string().trim().min(1);

/** Schema for the catalog file; the caller reads the file and passes its JSON here. */
export const catalogSchema = z
  .object({
    industries: z.array(nonBlank).min(1),
    channels: z
      .array(
        z.object({
          code: z.string().regex(/^[a-z][a-z0-9_]*$/, 'channel code must be snake_case ASCII'),
          name: nonBlank,
          aliases: z.array(nonBlank).default([]),
        }),
      )
      .min(1),
  })
  .superRefine((catalog, ctx) => {
    // Two entries written alike would make matching ambiguous, so refuse them at load time.
    const reportRepeats = (path: string, words: string[]) => {
      const seen = new Set<string>();
      for (const word of words) {
        const key = matchKey(word);
        if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [path], message: `"${word}" appears twice` });
        seen.add(key);
      }
    };
    reportRepeats('industries', catalog.industries);
    reportRepeats('channels', catalog.channels.flatMap(channelWords));
  });

/** The county catalog: industry names and channels with their codes and aliases. */
export type Catalog = z.infer<typeof catalogSchema>;

/** One 招商方式: the code the database stores, the county's name for it, and other ways to say it. */
export type Channel = Catalog['channels'][number];

/** An input matched to a catalog entry, or up to three valid choices that look like it. */
export type CatalogMatch = { ok: true; value: string } | { ok: false; suggestions: string[] };

/** Matches an industry by name, ignoring spaces, width and case; `value` is the industry name. */
export function matchIndustry(catalog: Catalog, input: string): CatalogMatch {
  return matchLabels(
    input,
    catalog.industries.map((name) => ({ label: name, choice: name, value: name })),
  );
}

/**
 * Matches a channel by name, alias or code, ignoring spaces, width and case; `value` is the
 * channel code ("定向招商" → "targeted"). Suggestions are channel names.
 */
export function matchChannel(catalog: Catalog, input: string): CatalogMatch {
  const labels = catalog.channels.flatMap((channel) => channelWords(channel).map((word) => ({ label: word, choice: channel.name, value: channel.code })));
  return matchLabels(input, labels);
}

function channelWords(channel: Channel): string[] {
  return [channel.name, channel.code, ...channel.aliases];
}

/** A way of writing an entry, the name to suggest for it, and the value a match returns. */
type EntryLabel = ChoiceLabel & { value: string };

function matchLabels(input: string, labels: EntryLabel[]): CatalogMatch {
  const wanted = matchKey(input);
  const exact = labels.find((l) => matchKey(l.label) === wanted);
  if (exact) return { ok: true, value: exact.value };
  return { ok: false, suggestions: closestChoices(input, labels) };
}
