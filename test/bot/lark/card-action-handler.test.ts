import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { type CardAction, formSourceKey } from '../../../bot/common/card-action';
import { createCardActionHandler } from '../../../bot/lark/card-action-handler';

const calls: CardAction[] = [];
const handle = createCardActionHandler({
  log: pino({ level: 'silent' }),
  actions: {
    'note.submit': async (a) => {
      calls.push(a);
      return { toast: { type: 'success', content: `saved ${formSourceKey(a)}` } };
    },
    'broken.button': async () => {
      throw new Error('a bug');
    },
  },
});
const callback = (action: Record<string, unknown>) => ({ operator: { open_id: 'ou_a' }, action, context: { open_message_id: 'om_1', open_chat_id: 'oc_1' } });
const toastOf = async (action: Record<string, unknown>) => (await handle('evt', callback(action))).toast;

describe('card callbacks', () => {
  it('runs the named action with its form', async () => {
    expect(await toastOf({ value: { action: 'note.submit', form: 'f1' }, form_value: { note: '已考察' } })).toEqual({
      type: 'success',
      content: 'saved form-f1',
    });
  });

  it.each([
    ['an action named like an object’s own property', { value: { action: 'constructor' } }],
    ['hasOwnProperty', { value: { action: 'hasOwnProperty' } }],
    ['a value that is not text', { value: { action: 'note.submit', form: { toString: 'f1' } } }],
    ['a value that is a list', { value: ['note.submit'] }],
    ['a form value of another type', { value: { action: 'note.submit', form: 'f1' }, form_value: { note: { a: 1 } } }],
    ['a submit without its form id', { value: { action: 'note.submit' }, form_value: { note: '已考察' } }],
    ['a handler that fails', { value: { action: 'broken.button' } }],
  ])('answers %s with an error toast, the handler not run', async (_, action) => {
    const before = calls.length;
    expect((await toastOf(action))?.type).toBe('error');
    expect(calls).toHaveLength(before);
  });
});
