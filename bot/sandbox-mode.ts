import { LarkSandbox } from '../sandbox/lark-sandbox';
import type { Config } from './config';

/**
 * Sandbox mode (no Lark credentials): the bot talks to the built-in Lark-compatible server instead
 * of Lark, exactly as it would to Lark, so that it can be tried on a laptop with nothing else.
 */
export async function startSandboxMode(config: Config): Promise<{ config: Config; sandbox: LarkSandbox }> {
  const sandbox = await LarkSandbox.start({
    appId: config.lark.appId,
    appSecret: config.lark.appSecret,
    encryptKey: config.lark.encryptKey,
    verificationToken: config.lark.verificationToken,
  });
  return { config: { ...config, lark: { ...config.lark, domain: sandbox.url } }, sandbox };
}
