import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as lark from '@larksuiteoapi/node-sdk';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type RunningApp, startApp } from '../../bot/process/app';
import { readConfig } from '../../bot/process/config';
import { DEMO_ROSTER, loadDemo } from '../../bot/sandbox-mode/demo-data';
import { SANDBOX_PAGE_PATH } from '../../bot/sandbox-mode/page/router';
import { type SandboxMode, startSandboxMode } from '../../bot/sandbox-mode/sandbox-mode';
import { startSandboxedBot } from '../support/sandboxed-bot';
import { tempDir } from '../support/temp-dir';
import { testDatabaseEnv } from '../support/test-store';

/**
 * The sandbox chat page in real Chromium, against the bot in sandbox mode with the demo county:
 * what a person types or clicks reaches the bot as Lark events, and its cards show as in Lark.
 * Screenshots go to test-output/ for a person to look at.
 */
const SHOTS = 'test-output';
const dir = tempDir('sandbox-page');
let mode: SandboxMode;
let app: RunningApp;
let browser: Browser;
let page: Page;

const shot = (name: string) => page.screenshot({ path: join(SHOTS, `sandbox-${name}.png`) });
const cardTitled = (title: string) => page.locator('.card', { has: page.locator('.card-header', { hasText: title }) }).last();
async function say(text: string) {
  await page.fill('#input', text);
  await page.press('#input', 'Enter');
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const config = readConfig({
    PORT: '0',
    ...(await testDatabaseEnv(dir.path)),
    REDIS_URL: inject('redisUrl'),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
  });
  mode = await startSandboxMode(config);
  app = await startApp({ config: mode.config, ...mode.appOptions, queuePrefix: `t-${randomBytes(4).toString('hex')}` });
  await loadDemo(app.store, { now: mode.clock.now(), timeZone: config.timeZone });
  await mode.started();
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${app.url}${SANDBOX_PAGE_PATH}`);
  await page.waitForSelector('#who option[value="ou_demo_zhao"]', { state: 'attached' });
  await page.selectOption('#who', 'ou_demo_zhao'); // 赵干事, an official of 城关镇
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await mode?.sandbox.stop();
  dir.remove();
});

describe('the sandbox chat page', () => {
  it('registers a lead with the form card and shows the confirmation with its code', async () => {
    await say('/线索');
    const form = cardTitled('登记招商线索');
    await form.locator('input[name=name]').fill('富硒矿泉水灌装');
    await form.locator('input[name=investor]').fill('汉水饮品有限公司');
    await form.locator('input[name=amount]').fill('3000万');
    await form.locator('select[name=industry]').selectOption('包装饮用水');
    await form.locator('select[name=channel]').selectOption({ label: '敲门招商' });
    await form.locator('select[name=leader]').selectOption({ label: '张副县长（县级领导）' });
    await shot('lead-form');
    await form.getByRole('button', { name: '登记' }).click();

    const confirmation = cardTitled('已登记 ZS-');
    await expect.poll(() => confirmation.locator('.card-header').textContent()).toMatch(/已登记 ZS-\d{4}-\d{4}/);
    await expect.poll(() => confirmation.textContent()).toContain('@张副县长');
    await expect.poll(() => page.locator('.toast').allTextContents()).toContain('登记成功');
    await shot('lead-registered');
    // The form's message was answered in place, as Lark's client shows a callback's card.
    expect(await page.locator('.card-header', { hasText: '登记招商线索' }).count()).toBe(0);
  });

  it('shows the standings with their table and bar chart', async () => {
    await say('/排名');
    const standings = cardTitled('考核排名');
    // One row and one bar per unit of the demo county.
    const units = DEMO_ROSTER.units.length;
    // The answer goes webhook → queue → worker → sandbox → the page's next poll: more than vitest's 1 s default on a busy machine.
    await expect.poll(() => standings.locator('.chart svg rect.bar').count(), { timeout: 5_000 }).toBe(units);
    expect(await standings.locator('.card-table tbody tr').count()).toBe(units);
    expect(await standings.locator('.chart svg').textContent()).toContain('城关镇');
    await standings.locator('.chart').scrollIntoViewIfNeeded();
    await shot('standings');
  });

  it('lists a group the bot created to its members, who write in it like in the work group', async () => {
    // The bot's side, as it will create a project's 专班群: through Lark's API, here the sandbox's.
    const client = new lark.Client({ ...mode.config.lark, logger: { error() {}, warn() {}, info() {}, debug() {}, trace() {} } });
    const created = await client.im.v1.chat.create({ data: { name: '专班·富硒矿泉水灌装', user_id_list: ['ou_demo_zhao', 'ou_demo_wang'] } });
    const chatId = created.data?.chat_id ?? '';
    await page.locator('.chat-item', { hasText: '专班·富硒矿泉水灌装' }).click();
    await expect.poll(() => page.locator('#chat-note').textContent()).toContain('王主任');
    await say('/帮助');
    await mode.sandbox.waitForMessages((m) => m.chatId === chatId);
    await expect.poll(() => page.locator('.msg.from-bot').count()).toBeGreaterThan(0);
    await shot('project-group');
    await page.click('.chat-item[data-chat="group"]');
  });

  it('moves the bot clock forward a day', async () => {
    const before = await page.locator('#clock').textContent();
    await page.click('#advance-day');
    await expect.poll(() => page.locator('.toast').allTextContents()).toContainEqual(expect.stringMatching(/^已到 /));
    expect(await page.locator('#clock').textContent()).not.toBe(before);
    expect(mode.clock.now() - Date.now()).toBeGreaterThan(86_000_000);
  });
});

describe('outside sandbox mode', () => {
  it('serves no chat page', async () => {
    const bot = await startSandboxedBot({ redisUrl: inject('redisUrl'), users: [], chats: [] });
    try {
      expect((await fetch(`${bot.app.url}${SANDBOX_PAGE_PATH}`)).status).toBe(404);
      expect((await fetch(`${bot.app.url}${SANDBOX_PAGE_PATH}/api/state`)).status).toBe(404);
    } finally {
      await bot.close();
    }
  });
});
