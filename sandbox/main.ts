/**
 * npm run sandbox -- --app-id cli_… --app-secret … --encrypt-key … --verification-token …
 *   [--port 9100] [--seed seed.json]
 *
 * Starts a Lark sandbox for running the bot by hand: point the bot's Lark domain at the printed URL.
 * The seed file holds `{ "users": SandboxUser[], "chats": SandboxChat[] }`.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { LarkSandbox } from './lark-sandbox';

const seedSchema = z.object({
  users: z
    .array(
      z.object({
        openId: z.string(),
        userId: z.string().optional(),
        unionId: z.string().optional(),
        name: z.string(),
        mobile: z.string().optional(),
        email: z.string().optional(),
        available: z.boolean().optional(),
        resigned: z.boolean().optional(),
      }),
    )
    .default([]),
  chats: z
    .array(
      z.object({
        chatId: z.string(),
        name: z.string(),
        memberOpenIds: z.array(z.string()),
        botIsMember: z.boolean().optional(),
      }),
    )
    .default([]),
});

const { values } = parseArgs({
  options: {
    'app-id': { type: 'string' },
    'app-secret': { type: 'string' },
    'encrypt-key': { type: 'string' },
    'verification-token': { type: 'string' },
    port: { type: 'string', default: '0' },
    seed: { type: 'string' },
  },
});

const required = ['app-id', 'app-secret', 'encrypt-key', 'verification-token'] as const;
const missing = required.filter((name) => values[name] === undefined);
if (missing.length > 0) {
  console.error(`missing ${missing.map((name) => `--${name}`).join(', ')}`);
  process.exit(2);
}

const seed = seedSchema.parse(values.seed === undefined ? {} : JSON.parse(await readFile(values.seed, 'utf8')));
const sandbox = await LarkSandbox.start({
  appId: values['app-id'] ?? '',
  appSecret: values['app-secret'] ?? '',
  encryptKey: values['encrypt-key'] ?? '',
  verificationToken: values['verification-token'] ?? '',
  port: Number(values.port),
  users: seed.users,
  chats: seed.chats,
});
console.log(`Lark sandbox listening at ${sandbox.url} (bot open_id ${sandbox.botOpenId})`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void sandbox.stop().then(() => process.exit(0)));
}
