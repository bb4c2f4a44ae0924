/**
 * Request bodies as the sandbox reads them: JSON, or multipart/form-data for uploads. The SDK's
 * uploads go through axios and the `form-data` package: each field a part; a Buffer file a part
 * with `Content-Type: application/octet-stream` and no filename, a file stream one with the file's
 * base name and MIME type.
 */
import { parseJsonOrText } from './event-delivery';

/** A binary part of a multipart body: one that names a filename or a content type. */
export interface FormFile {
  filename: string | undefined;
  contentType: string;
  bytes: Buffer;
}

/** A multipart body: text fields as strings, binary parts as FormFile. */
export type FormFields = Record<string, string | FormFile>;

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

/**
 * The parsed body: multipart fields for multipart/form-data, else parsed JSON. The raw text when
 * neither parses (the caller answers Lark's validation error); undefined when empty.
 */
export function parseRequestBody(raw: Buffer, contentType: string | undefined): unknown {
  const boundary = /^multipart\/form-data\s*;.*\bboundary=(?:"([^"]+)"|([^\s;]+))/i.exec(contentType ?? '');
  if (boundary === null) return parseJsonOrText(raw.toString('utf8'));
  return parseMultipart(raw, boundary[1] ?? boundary[2] ?? '') ?? raw.toString('utf8');
}

/** The body as recorded in `calls`: file parts summarised, so a 30 MB upload is not kept twice. */
export function recordedBody(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  return Object.fromEntries(
    Object.entries(body).map(([name, value]) =>
      isFormFile(value) ? [name, { filename: value.filename, contentType: value.contentType, size: value.bytes.length }] : [name, value],
    ),
  );
}

export function isFormFile(value: unknown): value is FormFile {
  return typeof value === 'object' && value !== null && Buffer.isBuffer((value as FormFile).bytes);
}

/** RFC 7578 parts between `--boundary` lines; undefined when the body is not well formed. */
function parseMultipart(raw: Buffer, boundary: string): FormFields | undefined {
  const delimiter = Buffer.from(`--${boundary}`);
  const fields: FormFields = {};
  let at = raw.indexOf(delimiter);
  if (at < 0) return undefined;
  for (;;) {
    const afterDelimiter = at + delimiter.length;
    if (raw.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') return fields;
    if (!raw.subarray(afterDelimiter, afterDelimiter + 2).equals(CRLF)) return undefined;
    const start = afterDelimiter + 2;
    // A part's content ends at CRLF + delimiter: the file's own bytes may hold either alone.
    const end = raw.indexOf(Buffer.concat([CRLF, delimiter]), start);
    const headerEnd = raw.indexOf(HEADER_END, start);
    if (end < 0 || headerEnd < 0 || headerEnd > end) return undefined;
    const headers = raw.subarray(start, headerEnd).toString('utf8');
    const name = /^content-disposition:\s*form-data\b.*?;\s*name="([^"]*)"/im.exec(headers)?.[1];
    if (name === undefined) return undefined;
    const filename = /;\s*filename="([^"]*)"/i.exec(headers)?.[1];
    const contentType = /^content-type:\s*(.+?)\s*$/im.exec(headers)?.[1];
    const bytes = raw.subarray(headerEnd + HEADER_END.length, end);
    fields[name] =
      filename === undefined && contentType === undefined
        ? bytes.toString('utf8')
        : { filename, contentType: contentType ?? 'application/octet-stream', bytes };
    at = end + CRLF.length;
  }
}
