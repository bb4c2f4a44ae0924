import { randomBytes } from 'node:crypto';
import { createReadStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../jobs/base/logger';
import { LarkApi, LarkCallError } from '../../jobs/send/lark-api';
import { LarkErrorCode, type LarkSandbox } from '../../sandbox/lark-sandbox';
import { tempDir } from '../support/temp-dir';
import { GROUP, larkFailure, startSandbox } from './support';

let sandbox: LarkSandbox | undefined;
afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
});
const dir = tempDir('file-upload');
afterAll(() => dir.remove());

async function setUp() {
  const started = await startSandbox();
  sandbox = started.sandbox;
  return started;
}

/** Bytes that look like multipart framing, so that a naive parser would cut the file short. */
const tricky = Buffer.concat([Buffer.from('PK\u0003\u0004\r\n--\r\n\r\n------------------------'), randomBytes(4096), Buffer.from('\r\n')]);
const MB = 1024 * 1024;

describe('file upload (POST /im/v1/files) with the real SDK', () => {
  it('keeps a Buffer upload byte for byte under its name and type, and answers a file_key', async () => {
    const { sandbox, client } = await setUp();
    const answer = await client.im.v1.file.create({ data: { file_type: 'xls', file_name: '招商项目台账 2026.xlsx', file: tricky } });

    expect(answer?.file_key).toMatch(/^file_v2_/);
    const stored = sandbox.file(answer?.file_key ?? '');
    expect(stored).toMatchObject({ name: '招商项目台账 2026.xlsx', type: 'xls' });
    expect(stored?.bytes.equals(tricky)).toBe(true);
  });

  it('accepts a file stream, and records the call with the file summarised', async () => {
    const { sandbox, client } = await setUp();
    const path = join(dir.path, 'report.pdf');
    writeFileSync(path, tricky);
    const answer = await client.im.v1.file.create({ data: { file_type: 'pdf', file_name: '报告.pdf', file: createReadStream(path) } });

    expect(sandbox.file(answer?.file_key ?? '')?.bytes.equals(tricky)).toBe(true);
    const call = sandbox.calls.find((c) => c.path === '/open-apis/im/v1/files');
    expect(call?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(call?.body).toEqual({
      file_type: 'pdf',
      file_name: '报告.pdf',
      file: { filename: 'report.pdf', contentType: 'application/pdf', size: tricky.length },
    });
  });

  it("refuses files over 30 MB, empty files and unknown file types with Lark's codes", async () => {
    const { client } = await setUp();
    const upload = (file: Buffer, fileType: 'xls' | 'stream' = 'xls') =>
      larkFailure(client.im.v1.file.create({ data: { file_type: fileType, file_name: 'x.xlsx', file } }));

    expect(await upload(Buffer.alloc(30 * MB + 1))).toMatchObject({ status: 400, code: LarkErrorCode.fileTooLarge });
    expect(await upload(Buffer.alloc(0))).toMatchObject({ status: 400, code: LarkErrorCode.fileEmpty });
    const wrongType = client.im.v1.file.create({ data: { file_type: 'xlsx' as 'xls', file_name: 'x.xlsx', file: tricky } });
    expect(await larkFailure(wrongType)).toMatchObject({ status: 400, code: LarkErrorCode.fileInvalidParam });
  });

  it('accepts exactly 30 MB', async () => {
    const { sandbox, client } = await setUp();
    const answer = await client.im.v1.file.create({ data: { file_type: 'stream', file_name: 'big.bin', file: Buffer.alloc(30 * MB, 7) } });
    expect(sandbox.file(answer?.file_key ?? '')?.bytes.length).toBe(30 * MB);
  });

  it('requires a tenant token like every other call', async () => {
    const { sandbox } = await setUp();
    const form = new FormData();
    form.append('file_type', 'xls');
    form.append('file_name', 'x.xlsx');
    form.append('file', new Blob([tricky]), 'x.xlsx');
    const response = await fetch(`${sandbox.url}/open-apis/im/v1/files`, { method: 'POST', body: form });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { code: number }).code).toBe(LarkErrorCode.missingToken);
  });
});

describe('file messages', () => {
  it('delivers msg_type file with the uploaded file_key, and the test reads the file back', async () => {
    const { sandbox, client } = await setUp();
    const upload = await client.im.v1.file.create({ data: { file_type: 'xls', file_name: '台账.xlsx', file: tricky } });
    const fileKey = upload?.file_key ?? '';
    const sent = await client.im.v1.message.create({
      params: { receive_id_type: 'chat_id' },
      data: { receive_id: GROUP.chatId, msg_type: 'file', content: JSON.stringify({ file_key: fileKey }) },
    });

    expect(sent.data?.msg_type).toBe('file');
    const [message] = sandbox.messages();
    expect(message).toMatchObject({ chatId: GROUP.chatId, msgType: 'file', content: { file_key: fileKey } });
    expect(sandbox.file(fileKey)?.name).toBe('台账.xlsx');
  });

  it('refuses an unknown file_key, and a video sent as a file', async () => {
    const { sandbox, client } = await setUp();
    const sendFile = (fileKey: string) =>
      larkFailure(
        client.im.v1.message.create({
          params: { receive_id_type: 'chat_id' },
          data: { receive_id: GROUP.chatId, msg_type: 'file', content: JSON.stringify({ file_key: fileKey }) },
        }),
      );
    expect(await sendFile('file_v2_not-uploaded')).toMatchObject({ status: 400, code: LarkErrorCode.imInvalidParam });
    const video = await client.im.v1.file.create({ data: { file_type: 'mp4', file_name: 'a.mp4', file: tricky } });
    expect(await sendFile(video?.file_key ?? '')).toMatchObject({ status: 400, code: LarkErrorCode.fileTypeMismatch });
    expect(sandbox.messages()).toHaveLength(0);
  });
});

describe('LarkApi.uploadFile', () => {
  async function api() {
    const { sandbox, options } = await setUp();
    return { sandbox, lark: new LarkApi({ ...options, domain: sandbox.url }, createLogger('silent')) };
  }

  it('uploads through the SDK and answers the file_key', async () => {
    const { sandbox, lark } = await api();
    const fileKey = await lark.uploadFile('台账.xlsx', tricky);
    expect(sandbox.file(fileKey)).toMatchObject({ name: '台账.xlsx', type: 'xls' });
  });

  it('classifies a refusal as final and a server error as retryable', async () => {
    const { sandbox, lark } = await api();
    const tooLarge = await lark.uploadFile('big.xlsx', Buffer.alloc(30 * MB + 1)).catch((e: unknown) => e);
    expect(tooLarge).toBeInstanceOf(LarkCallError);
    expect(tooLarge).toMatchObject({ code: LarkErrorCode.fileTooLarge, httpStatus: 400, retryable: false });

    sandbox.failNext(1, { status: 500, code: 1 });
    const broken = await lark.uploadFile('a.xlsx', tricky).catch((e: unknown) => e);
    expect(broken).toMatchObject({ httpStatus: 500, retryable: true });
  });
});
