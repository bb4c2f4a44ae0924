import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SentMessage } from '../../sandbox/lark-sandbox';
import { county, findFormButtonValue, GROUP, type Harness, startHarness, textOf } from '../support/bot-harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

/** Every project, in the order they were registered. */
const projectRows = async () => {
  const { projects } = h.app.store.tables;
  return h.app.store.db.select().from(projects).orderBy(asc(projects.id));
};
const cardOf = (m: SentMessage | undefined) => m?.latestContent as { header?: { template?: string }; body?: { elements?: unknown[] } } | undefined;

describe('registering a lead from a group chat', () => {
  it('answers /help with every command and an example of each', async () => {
    const [reply] = await h.sendAndWaitReplies(h.groupMessage(county.official, '/帮助'));
    const text = textOf(reply);
    expect(reply?.chatId).toBe(GROUP);
    expect(text).toContain('/线索');
    expect(text).toContain('/帮助');
    expect(text).toMatch(/投资方[:：]/);
  });

  it('shows one command in full with /帮助 <command>', async () => {
    const [reply] = await h.sendAndWaitReplies(h.groupMessage(county.official, '/帮助 线索'));
    const text = textOf(reply);
    for (const key of ['投资方', '金额', '行业', '来源', '负责人', '包抓', '引荐人', '单位', '备注']) expect(text).toContain(key);
  });

  it('registers an inline /lead and replies in the thread with a confirmation naming the owner and leader', async () => {
    const before = (await projectRows()).length;
    const event = h.groupMessage(
      county.official,
      '/lead 富硒茶深加工 投资方:某茶业有限公司 金额:1.2亿 行业:富硒茶叶 来源:以商招商 负责人:@{钱主任} 包抓:@{孙副县长}',
      [county.owner, county.leader],
    );
    const [reply] = await h.sendAndWaitReplies(event);
    const rows = await projectRows();
    expect(rows).toHaveLength(before + 1);
    const project = rows.at(-1)!;
    expect(project).toMatchObject({
      name: '富硒茶深加工',
      investor: '某茶业有限公司',
      plannedInvestmentWan: 12000,
      industry: '富硒茶叶',
      channel: 'business_network',
      ownerOpenId: county.owner.openId,
      leaderOpenId: county.leader.openId,
      createdBy: county.official.openId,
      stage: 'lead',
      sourceChatId: GROUP,
    });
    expect(project.code).toMatch(/^ZS-\d{4}-\d{4}$/);
    expect(project.unitId).not.toBeNull();
    const text = textOf(reply);
    expect(reply?.msgType).toBe('interactive');
    expect(text).toContain(project.code);
    expect(text).toContain(`<at id=${county.owner.openId}></at>`);
    expect(text).toContain(`<at id=${county.leader.openId}></at>`);
    expect(text).toContain('1.2亿');
  });

  it('works in a direct chat without an @-mention', async () => {
    const event = h.sandbox.messageEvent({ chatType: 'p2p', senderOpenId: county.owner.openId, text: '/登记 包装饮用水厂 投资方:清泉水业 金额:5000万' });
    const [reply] = await h.sendAndWaitReplies(event);
    expect(textOf(reply)).toMatch(/ZS-\d{4}-\d{4}/);
    expect((await projectRows()).at(-1)).toMatchObject({ name: '包装饮用水厂', ownerOpenId: county.owner.openId, plannedInvestmentWan: 5000 });
  });

  it('names every problem of a bad line with a correct example, and writes nothing', async () => {
    const before = (await projectRows()).length;
    const [reply] = await h.sendAndWaitReplies(h.groupMessage(county.official, '/lead 文旅康养小镇 金额:很多 行业:旅游'));
    const text = textOf(reply);
    expect(text).toMatch(/投资方/); // the missing investor
    expect(text).toMatch(/金额/); // the amount that is not an amount
    expect(text).toContain('文旅康养'); // the closest valid industry
    expect(text).toMatch(/\/lead|\/线索/); // a correct example
    expect(await projectRows()).toHaveLength(before);
  });

  it('suggests the right command for a mistyped one', async () => {
    const [reply] = await h.sendAndWaitReplies(h.groupMessage(county.official, '/leed 某项目'));
    expect(textOf(reply)).toMatch(/\/线索|\/lead/);
  });

  it('ignores a group message that does not @ the bot', async () => {
    const event = h.sandbox.messageEvent({ chatId: GROUP, chatType: 'group', senderOpenId: county.official.openId, text: '/lead 某项目 投资方:某公司' });
    const before = (await projectRows()).length;
    const delivered = await h.sandbox.deliverEvent(h.webhookUrl, event);
    expect(delivered.status).toBe(200);
    // A later addressed message is answered, so the ignored one had its chance to be processed.
    await h.sendAndWaitReplies(h.groupMessage(county.official, '/help'));
    expect(h.sandbox.messages().filter((m) => m.replyTo === event.event.message.message_id)).toEqual([]);
    expect(await projectRows()).toHaveLength(before);
  });
});

describe('the lead form', () => {
  it('turns /lead alone into a form whose submission registers once, however often it is submitted', async () => {
    const [formMessage] = await h.sendAndWaitReplies(h.groupMessage(county.official, '/线索'));
    expect(textOf(formMessage)).toContain('投资方');
    const value = findFormButtonValue(formMessage?.latestContent);
    const before = (await projectRows()).length;
    // A double tap: both submits leave before the first answer turns the form into its confirmation.
    const [tap1, tap2] = [1, 2].map(() =>
      h.sandbox.cardActionEvent({
        operatorOpenId: county.official.openId,
        messageId: formMessage!.messageId,
        tag: 'button',
        value,
        formValue: {
          name: '新社区工厂扩建',
          investor: '某服饰有限公司',
          amount: '3000万',
          industry: '新社区工厂',
          channel: 'targeted',
          owner: [county.owner.openId],
          leader: county.leader.openId,
          referrer: '县商会',
          note: '',
        },
      }),
    );
    const first = await h.sandbox.deliverEvent(h.webhookUrl, tap1!);
    const second = await h.sandbox.deliverEvent(h.webhookUrl, tap2!);
    expect(first.status).toBe(200);
    const answer = first.body as { toast?: { type: string }; card?: { data: unknown } };
    expect(answer.toast?.type).toBe('success');
    const rows = await projectRows();
    expect(rows).toHaveLength(before + 1);
    expect(rows.at(-1)).toMatchObject({
      name: '新社区工厂扩建',
      channel: 'targeted',
      ownerOpenId: county.owner.openId,
      leaderOpenId: county.leader.openId,
      referrer: '县商会',
    });
    expect(JSON.stringify(answer.card?.data)).toContain(rows.at(-1)!.code);
    expect(JSON.stringify((second.body as { card?: unknown }).card)).toContain(rows.at(-1)!.code);
  });

  it('in a direct chat, offers the county’s officials and leaders in its pickers, not the reader alone', async () => {
    const ask = h.sandbox.messageEvent({ chatType: 'p2p', senderOpenId: county.official.openId, text: '/线索' });
    await h.sandbox.deliverEvent(h.webhookUrl, ask);
    const [formMessage] = await h.sandbox.waitForMessages((m) => m.replyTo === ask.event.message.message_id);
    const submit = h.sandbox.cardActionEvent({
      operatorOpenId: county.official.openId,
      messageId: formMessage!.messageId,
      value: findFormButtonValue(formMessage?.latestContent),
      formValue: { name: '单聊登记的项目', investor: '单聊投资公司', owner: county.owner.openId, leader: county.leader.openId },
    });
    expect((await h.sandbox.deliverEvent(h.webhookUrl, submit)).body).toMatchObject({ toast: { type: 'success' } });
    expect((await projectRows()).at(-1)).toMatchObject({ name: '单聊登记的项目', ownerOpenId: county.owner.openId, leaderOpenId: county.leader.openId });
  });

  it('answers a form with a bad amount with an error toast and registers nothing', async () => {
    const [formMessage] = await h.sendAndWaitReplies(h.groupMessage(county.official, '/lead'));
    const before = (await projectRows()).length;
    const result = await h.sandbox.deliverEvent(
      h.webhookUrl,
      h.sandbox.cardActionEvent({
        operatorOpenId: county.official.openId,
        messageId: formMessage!.messageId,
        value: findFormButtonValue(formMessage?.latestContent),
        formValue: { name: '某项目', investor: '某公司', amount: '一些钱' },
      }),
    );
    expect((result.body as { toast?: { type: string; content: string } }).toast).toMatchObject({ type: 'error' });
    expect((result.body as { toast: { content: string } }).toast.content).toMatch(/金额/);
    expect(await projectRows()).toHaveLength(before);
  });
});

describe('a likely duplicate', () => {
  it('shows the existing project and registers a second one only when the sender confirms', async () => {
    await h.sendAndWaitReplies(h.groupMessage(county.official, '/lead 富硒茶园基地 投资方:绿源农业有限公司'));
    const before = (await projectRows()).length;
    const [question] = await h.sendAndWaitReplies(h.groupMessage(county.official, '/lead 富硒茶园基地二期 投资方:绿源农业公司'));
    expect(await projectRows()).toHaveLength(before);
    expect(textOf(question)).toContain('富硒茶园基地');
    expect(cardOf(question)?.header?.template).toBe('orange');

    const buttons = JSON.stringify(question?.latestContent);
    const pending = /"pending":"([^"]+)"/.exec(buttons)?.[1];
    const tap = (operator: string) =>
      h.sandbox.deliverEvent(
        h.webhookUrl,
        h.sandbox.cardActionEvent({ operatorOpenId: operator, messageId: question!.messageId, value: { action: 'lead.confirm', pending } }),
      );
    const byOther = await tap(county.stranger.openId);
    expect((byOther.body as { toast?: { type: string } }).toast?.type).toBe('warning');
    expect(await projectRows()).toHaveLength(before);

    const bySender = await tap(county.official.openId);
    expect((bySender.body as { toast?: { type: string } }).toast?.type).toBe('success');
    expect((await projectRows()).at(-1)).toMatchObject({ name: '富硒茶园基地二期', investor: '绿源农业公司' });
  });
});

describe('someone not yet on the roster', () => {
  it('registers the project with no unit and tells the coordinator to assign it', async () => {
    const [reply] = await h.sendAndWaitReplies(h.groupMessage(county.stranger, '/lead 云上展厅 投资方:某科技有限公司 行业:科技创新'));
    const project = (await projectRows()).at(-1)!;
    expect(project).toMatchObject({ name: '云上展厅', unitId: null, ownerOpenId: county.stranger.openId });
    expect(textOf(reply)).toContain(project.code);
    const [notice] = await h.sandbox.waitForMessages((m) => m.recipientOpenId === county.coordinator.openId && textOf(m).includes(project.code));
    expect(textOf(notice)).toContain(`<at id=${county.stranger.openId}></at>`);
  });

  it('lets a coordinator assign the unit, tells its head, and keeps the change in history', async () => {
    const project = (await projectRows()).find((p) => p.name === '云上展厅')!;
    const [refused] = await h.sendAndWaitReplies(h.groupMessage(county.official, `/指派 ${project.code} 城关镇`));
    expect((await projectRows()).find((p) => p.id === project.id)?.unitId).toBeNull();
    expect(textOf(refused)).toMatch(/招商服务中心|管理员/);

    await h.sendAndWaitReplies(h.groupMessage(county.coordinator, `/指派 ${project.code} 城关镇`));
    const assigned = (await projectRows()).find((p) => p.id === project.id)!;
    expect(assigned.unitId).not.toBeNull();
    await h.sandbox.waitForMessages((m) => m.recipientOpenId === county.townHead.openId && textOf(m).includes(project.code));
    const { projectHistory } = h.app.store.tables;
    const history = await h.app.store.db.select().from(projectHistory).where(eq(projectHistory.projectId, project.id)).orderBy(asc(projectHistory.id));
    expect(history.map((e) => [e.action, e.actorOpenId])).toEqual([
      ['registered', county.stranger.openId],
      ['unit_assigned', county.coordinator.openId],
    ]);
  });
});
