import { distance } from 'fastest-levenshtein';
import type { MessageContext } from '../lark/context';

export type CommandHandler = (ctx: MessageContext, args: string) => Promise<void>;

/** One row per command: adding a command is adding a row and a file. */
export interface CommandSpec {
  name: string;
  /** Other words for it, Chinese first. */
  aliases: string[];
  summary: string;
  /** A complete, correct example, shown by /help and by error replies. */
  example: string;
  /** The full reference, shown by `/帮助 <command>`. */
  details?: string;
  /** Its first argument is a project code, which a project's work group (专班) may leave out. */
  projectArg?: boolean;
  run: CommandHandler;
}

export interface CommandTable {
  specs: readonly CommandSpec[];
  find(word: string): CommandSpec | undefined;
  /** Commands whose words look like a mistyped one, for "did you mean". */
  closest(word: string): CommandSpec[];
}

export function createCommandTable(specs: CommandSpec[]): CommandTable {
  const byWord = new Map<string, CommandSpec>();
  for (const spec of specs) {
    for (const word of [spec.name, ...spec.aliases]) {
      if (byWord.has(word)) throw new Error(`command word /${word} is used twice`);
      byWord.set(word, spec);
    }
  }
  return {
    specs,
    find: (word) => byWord.get(word.toLowerCase()),
    closest(word) {
      const scored = [...byWord.entries()]
        .map(([w, spec]) => ({ spec, d: distance(w, word.toLowerCase()) / Math.max(w.length, word.length) }))
        .filter((s) => s.d <= 0.5)
        .sort((a, b) => a.d - b.d);
      return [...new Set(scored.map((s) => s.spec))].slice(0, 3);
    },
  };
}
