import { afterEach, describe, expect, it } from 'vitest';
import { CallbackErrorCode, CardErrorCode, CardRefusal, checkCallbackAnswer, checkCard, countElements } from '../../sandbox/card-rules';
import { LarkErrorCode, type LarkSandbox } from '../../sandbox/lark-sandbox';
import { ALICE, BOB, CAROL, formCard, GROUP, larkFailure, manualClock, sharedCard, startSandbox } from './support';

const users = new Set([ALICE.openId, BOB.openId]);
const context = { isUser: (id: string) => users.has(id) };

type Card = Record<string, unknown> & { body: { elements: unknown[] } };
const withElements = (...elements: unknown[]): Card => ({ ...sharedCard('卡片'), body: { elements } });
const button = (extra: Record<string, unknown> = {}) => ({
  tag: 'button',
  text: { tag: 'plain_text', content: '确定' },
  behaviors: [{ type: 'callback', value: { action: 'ok' } }],
  ...extra,
});
const submit = {
  tag: 'button',
  name: 'submit',
  text: { tag: 'plain_text', content: '提交' },
  form_action_type: 'submit',
  behaviors: [{ type: 'callback', value: { action: 'go' } }],
};
const form = (...elements: unknown[]) => ({ tag: 'form', name: 'f', elements: [...elements, submit] });
const input = (name: string) => ({ tag: 'input', name, placeholder: { tag: 'plain_text', content: '写' } });
const table = (columns: unknown[], rows: unknown[]) => ({ tag: 'table', columns, rows });

/** The refusal's sub-code, or 'accepted'. */
function verdict(card: unknown): number | 'accepted' {
  try {
    checkCard(card, context);
    return 'accepted';
  } catch (error) {
    if (error instanceof CardRefusal) return error.subCode;
    throw error;
  }
}

describe('the card JSON 2.0 rules', () => {
  it('accepts a card that uses each component the way Lark documents it', () => {
    const card = {
      schema: '2.0',
      config: { update_multi: true, summary: { content: '摘要' }, width_mode: 'fill' },
      header: {
        title: { tag: 'plain_text', content: '标题' },
        template: 'carmine',
        text_tag_list: [{ tag: 'text_tag', text: { tag: 'plain_text', content: '标签' }, color: 'neutral' }],
      },
      body: {
        elements: [
          { tag: 'markdown', content: `**粗体** <at id=${ALICE.openId}></at> <font color="red">红</font> <font color='grey-500'>灰</font>` },
          { tag: 'hr' },
          { tag: 'column_set', flex_mode: 'flow', columns: [{ tag: 'column', width: 'auto', elements: [button({ type: 'primary' })] }] },
          form(
            input('note'),
            { tag: 'select_static', name: 'kind', options: [{ text: { tag: 'plain_text', content: '甲' }, value: 'a' }], initial_option: 'a' },
            { tag: 'multi_select_person', name: 'people', options: [{ value: ALICE.openId }] },
            { tag: 'date_picker', name: 'day', initial_date: '2027-03-01' },
            { tag: 'picker_datetime', name: 'at', initial_datetime: '2027-03-01 09:30' },
          ),
          table(
            [
              { name: 'unit', display_name: '单位', data_type: 'text' },
              { name: 'score', display_name: '得分', data_type: 'number', format: { precision: 2 } },
              { name: 'who', data_type: 'persons' },
              { name: 'when', data_type: 'date', date_format: 'YYYY-MM-DD' },
            ],
            [{ unit: '城关镇', score: 12.5, who: [ALICE.openId], when: 1_800_000_000_000 }],
          ),
          { tag: 'chart', aspect_ratio: '16:9', chart_spec: { type: 'bar', data: [{ id: 's', values: [{ x: 'a', y: 1 }] }], xField: 'x', yField: 'y' } },
        ],
      },
    };
    expect(verdict(card)).toBe('accepted');
  });

  it.each([
    ['top-level elements (1.0)', { ...sharedCard('x'), elements: [] }, CardErrorCode.invalidJson],
    ['i18n_elements', { ...sharedCard('x'), i18n_elements: {} }, CardErrorCode.invalidJson],
    ['wide_screen_mode in config', { ...sharedCard('x'), config: { update_multi: true, wide_screen_mode: true } }, CardErrorCode.invalidJson],
    ['update_multi false', { ...sharedCard('x'), config: { update_multi: false } }, CardErrorCode.invalidJson],
    [
      'a header template Lark does not have',
      { ...sharedCard('x'), header: { title: { tag: 'plain_text', content: 'x' }, template: 'pink' } },
      CardErrorCode.invalidJson,
    ],
    [
      'a tag colour Lark does not have',
      {
        ...sharedCard('x'),
        header: { title: { tag: 'plain_text', content: 'x' }, text_tag_list: [{ tag: 'text_tag', text: { tag: 'plain_text', content: 't' }, color: 'black' }] },
      },
      CardErrorCode.invalidJson,
    ],
    ['a header without a title', { ...sharedCard('x'), header: { template: 'blue' } }, CardErrorCode.invalidJson],
    ['the removed note component', withElements({ tag: 'note', elements: [{ tag: 'plain_text', content: '注' }] }), CardErrorCode.removedInV2],
    ['the removed action module', withElements({ tag: 'action', actions: [button()] }), CardErrorCode.removedInV2],
    ['a tag 2.0 does not know', withElements({ tag: 'code_block', content: 'x' }), CardErrorCode.invalidJson],
    ['a button’s 1.0 value', withElements(button({ value: { action: 'ok' } })), CardErrorCode.invalidJson],
    ['a button’s 1.0 url', withElements(button({ url: 'https://example.com' })), CardErrorCode.invalidJson],
    ['a button type Lark does not have', withElements(button({ type: 'link' })), CardErrorCode.invalidJson],
    ['a behaviour Lark does not have', withElements(button({ behaviors: [{ type: 'form_action', behavior: 'submit' }] })), CardErrorCode.invalidJson],
    ['a callback without its value', withElements(button({ behaviors: [{ type: 'callback' }] })), CardErrorCode.invalidJson],
    ['a button text over 100 characters', withElements(button({ text: { tag: 'plain_text', content: '长'.repeat(101) } })), CardErrorCode.invalidJson],
    ['lark_md in a button text', withElements(button({ text: { tag: 'lark_md', content: '**x**' } })), CardErrorCode.invalidJson],
    ['a form inside a column', withElements({ tag: 'column_set', columns: [{ tag: 'column', elements: [form(input('a'))] }] }), CardErrorCode.invalidJson],
    ['a table inside a form', withElements(form(table([{ name: 'a' }], []))), CardErrorCode.invalidJson],
    ['a form inside a form', withElements({ tag: 'form', name: 'outer', elements: [form(input('a')), submit] }), CardErrorCode.invalidJson],
    ['a column_set holding something else than columns', withElements({ tag: 'column_set', columns: [button()] }), CardErrorCode.invalidJson],
    ['a multi-select person picker outside a form', withElements({ tag: 'multi_select_person', name: 'p' }), CardErrorCode.invalidJson],
    ['an input in a form without a name', withElements(form({ tag: 'input' })), CardErrorCode.invalidJson],
    ['two inputs with one name', withElements(form(input('a'), input('a'))), CardErrorCode.overLimit],
    ['a form without a submit button', withElements({ tag: 'form', name: 'f', elements: [input('a')] }), CardErrorCode.invalidJson],
    ['a form without a name', withElements({ tag: 'form', elements: [input('a'), submit] }), CardErrorCode.invalidJson],
    [
      'repeated option values',
      withElements({ tag: 'select_static', options: ['a', 'a'].map((value) => ({ text: { tag: 'plain_text', content: value }, value })) }),
      CardErrorCode.invalidJson,
    ],
    ['a date not written yyyy-MM-dd', withElements({ tag: 'date_picker', initial_date: '2027/03/01' }), CardErrorCode.invalidJson],
    ['a max_length over 1000', withElements(form({ ...input('a'), max_length: 2000 })), CardErrorCode.invalidJson],
    ['a table row with an undeclared column', withElements(table([{ name: 'a', data_type: 'text' }], [{ b: 'x' }])), CardErrorCode.invalidTableRowName],
    ['text in a number column', withElements(table([{ name: 'a', data_type: 'number' }], [{ a: '12' }])), CardErrorCode.invalidTableRows],
    ['a date that is not epoch milliseconds', withElements(table([{ name: 'a', data_type: 'date' }], [{ a: '2027-03-01' }])), CardErrorCode.invalidTableRows],
    ['a column type Lark does not have', withElements(table([{ name: 'a', data_type: 'money' }], [])), CardErrorCode.invalidJson],
    ['a page size over 10', withElements({ ...table([{ name: 'a' }], []), page_size: 20 }), CardErrorCode.invalidJson],
    ['six tables', withElements(...Array.from({ length: 6 }, () => table([{ name: 'a' }], []))), CardErrorCode.overLimit],
    ['a chart spec without a type', withElements({ tag: 'chart', chart_spec: { data: { values: [] } } }), CardErrorCode.invalidChart],
    ['a chart spec without data', withElements({ tag: 'chart', chart_spec: { type: 'bar' } }), CardErrorCode.invalidChart],
    [
      'a chart aspect ratio Lark does not have',
      withElements({ tag: 'chart', aspect_ratio: '3:1', chart_spec: { type: 'bar', data: { values: [] } } }),
      CardErrorCode.invalidJson,
    ],
    ['an @ of someone outside the tenant', withElements({ tag: 'markdown', content: '<at id=ou_nobody></at>' }), CardErrorCode.invalidUser],
    ['an @all', withElements({ tag: 'markdown', content: '请 <at id=all></at> 注意' }), CardErrorCode.invalidUser],
    ['a font colour Lark does not have', withElements({ tag: 'markdown', content: '<font color="#ff0000">红</font>' }), CardErrorCode.invalidJson],
    ['a margin outside [-99,99]px', withElements({ tag: 'hr', margin: '120px' }), CardErrorCode.invalidJson],
    ['a margin of three sizes', withElements({ tag: 'hr', margin: '4px 0 4px' }), CardErrorCode.invalidJson],
    ['a repeated element_id', withElements({ tag: 'hr', element_id: 'a1' }, { tag: 'hr', element_id: 'a1' }), CardErrorCode.invalidJson],
    ['more than five levels of containers', withElements(nest(6)), CardErrorCode.invalidJson],
  ])('refuses %s', (_, card, code) => {
    expect(verdict(card)).toBe(code);
  });

  it('counts every component and text object toward the 200, and refuses the 201st', () => {
    // A button is two elements: itself and its plain_text.
    const buttons = (n: number) => withElements(...Array.from({ length: n }, () => button()));
    expect(countElements(buttons(99))).toBe(99 * 2 + 1);
    expect(verdict(buttons(99))).toBe('accepted');
    expect(countElements(buttons(100))).toBe(201);
    expect(verdict(buttons(100))).toBe(CardErrorCode.overLimit);
  });

  it('leaves cards that are not JSON 2.0 to Lark’s 1.0 rules', () => {
    expect(verdict({ type: 'template', data: { template_id: 'AAq' } })).toBe('accepted');
    expect(verdict({ config: { wide_screen_mode: true }, elements: [{ tag: 'note', elements: [] }] })).toBe('accepted');
  });
});

function nest(depth: number): unknown {
  return depth === 0 ? { tag: 'hr' } : { tag: 'column_set', columns: [{ tag: 'column', elements: [nest(depth - 1)] }] };
}

describe('the answer to a card callback', () => {
  const tapped = sharedCard('表单');
  it.each([
    ['nothing', undefined, undefined],
    ['an empty object', {}, undefined],
    ['a toast', { toast: { type: 'success', content: '已保存' } }, undefined],
    ['a toast and a 2.0 card', { toast: { type: 'info', content: '好' }, card: { type: 'raw', data: sharedCard('已保存') } }, undefined],
    ['a toast of a type Lark does not have', { toast: { type: 'danger', content: '错' } }, CallbackErrorCode.badResponse],
    ['a field Lark does not read', { toast: { type: 'info', content: 'x' }, message: 'x' }, CallbackErrorCode.badResponse],
    ['a card of an unknown type', { card: { type: 'json', data: sharedCard('x') } }, CallbackErrorCode.badCard],
    ['a card Lark cannot build', { card: { type: 'raw', data: withElements({ tag: 'note', elements: [] }) } }, CallbackErrorCode.badCard],
    ['a 2.0 card answered with a 1.0 card', { card: { type: 'raw', data: { elements: [{ tag: 'div' }] } } }, CallbackErrorCode.downgradedCard],
    ['a card over 30 KB', { card: { type: 'raw', data: withElements({ tag: 'markdown', content: '长'.repeat(11_000) }) } }, CallbackErrorCode.badCard],
  ])('%s → %s', (_, answer, code) => {
    expect(checkCallbackAnswer(answer, tapped, context)?.code).toBe(code);
  });
});

describe('cards through the sandbox', () => {
  let sandbox: LarkSandbox | undefined;
  afterEach(async () => {
    await sandbox?.stop();
    sandbox = undefined;
  });

  async function setUp(clock = manualClock(Date.now())) {
    const started = await startSandbox({ now: clock.now });
    sandbox = started.sandbox;
    const sendCard = (card: unknown, chatId = GROUP.chatId) =>
      started.client.im.v1.message.create({
        params: { receive_id_type: 'chat_id' },
        data: { receive_id: chatId, msg_type: 'interactive', content: JSON.stringify(card) },
      });
    return { ...started, clock, sendCard };
  }

  it('refuses a card Lark would refuse with HTTP 400, 230099 and the sub-code in msg, and delivers nothing', async () => {
    const { sandbox, sendCard } = await setUp();
    const failure = await larkFailure(sendCard(withElements({ tag: 'note', elements: [] })));
    expect(failure).toMatchObject({ status: 400, code: LarkErrorCode.cardBuildFailed });
    const body = sandbox.calls.at(-1)!.response as { msg: string };
    expect(body.msg).toMatch(/^Failed to create card content, ext=ErrCode: 200861; ErrPath: ROOT -> body -> elements -> \[0\]\(tag: note\)/);
    expect(sandbox.messages()).toEqual([]);
  });

  it('refuses a card over 30 KB with 230025', async () => {
    const { sendCard } = await setUp();
    expect(await larkFailure(sendCard(withElements({ tag: 'markdown', content: '长'.repeat(11_000) })))).toMatchObject({
      status: 400,
      code: LarkErrorCode.contentTooLong,
    });
  });

  it('checks a card update as it checks a send', async () => {
    const { client, sendCard } = await setUp();
    const sent = await sendCard(sharedCard('原卡'));
    const update = client.im.v1.message.patch({
      path: { message_id: sent.data!.message_id! },
      data: { content: JSON.stringify(withElements(button({ url: 'https://e' }))) },
    });
    expect(await larkFailure(update)).toMatchObject({ status: 400, code: LarkErrorCode.cardBuildFailed });
  });

  it('lets a form submit only what its pickers offer: the options, else the members of the chat the card is in', async () => {
    const { sandbox, sendCard } = await setUp();
    const pickers = (options?: string[]) =>
      withElements({
        tag: 'form',
        name: 'f',
        elements: [{ tag: 'select_person', name: 'who', ...(options ? { options: options.map((value) => ({ value })) } : {}) }, submit],
      });
    const inGroup = (await sendCard(pickers())).data!.message_id!;
    const inDirectChat = (await sendCard(pickers(), sandbox.p2pChatId(ALICE.openId))).data!.message_id!;
    const listed = (await sendCard(pickers([CAROL.openId]), sandbox.p2pChatId(ALICE.openId))).data!.message_id!;
    const pick = (messageId: string, who: string) => () =>
      sandbox.cardActionEvent({ operatorOpenId: ALICE.openId, messageId, value: { action: 'go' }, formValue: { who } });
    expect(pick(inGroup, BOB.openId)).not.toThrow();
    expect(pick(inDirectChat, ALICE.openId)).not.toThrow();
    expect(pick(inDirectChat, BOB.openId)).toThrow(/does not offer/);
    expect(pick(listed, CAROL.openId)).not.toThrow();
    expect(pick(listed, ALICE.openId)).toThrow(/does not offer/);
  });

  it('passes no tap on a card sent more than 14 days ago, as Lark does', async () => {
    const { sandbox, sendCard, clock } = await setUp();
    const messageId = (await sendCard(formCard('表单'))).data!.message_id!;
    clock.advance(15 * 86_400_000);
    const tap = sandbox.cardActionEvent({ operatorOpenId: ALICE.openId, messageId, value: { action: 'acknowledge' } });
    const result = await sandbox.deliverEvent('http://127.0.0.1:9/never-called', tap);
    expect(result.status).toBe(0);
    expect(result.notSent).toMatch(/14 天/);
  });
});
