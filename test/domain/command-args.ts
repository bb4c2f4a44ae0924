import { expect } from 'vitest';
import type { InputProblem } from '../../domain/lead-draft';
import type { CommandArgsResult } from '../../domain/project-commands';

/** Reading a command line, as the parsers' tests share it. */

export const today = '2026-10-14';
export const mentions = new Map([['@_user_2', { openId: 'ou_zhang', name: '张三' }]]);

export function valueIn<T>(result: CommandArgsResult<T>): T {
  if (!result.ok) throw new Error(`expected a value, got ${JSON.stringify(result.problems)}`);
  return result.value;
}

/** The problems, each checked to speak Chinese, both what is wrong and how to write it right. */
export function problemsOf<T>(result: CommandArgsResult<T>): InputProblem[] {
  if (result.ok) throw new Error(`expected problems, got ${JSON.stringify(result.value)}`);
  for (const p of result.problems) {
    expect(p.message).toMatch(/\p{Script=Han}/u);
    expect(p.hint).toMatch(/\p{Script=Han}/u);
  }
  return result.problems;
}

export const fields = (problems: InputProblem[]) => problems.map((p) => p.field);
