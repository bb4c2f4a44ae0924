/**
 * The frames of Lark's long connection: protobuf `pbbp2.Frame` messages, one per WebSocket binary
 * message. Declared here from Lark's schema rather than borrowed from the SDK, so that the sandbox
 * checks the SDK's encoding instead of sharing it.
 */
import protobuf from 'protobufjs';

const { root } = protobuf.parse(
  `syntax = "proto2";
  package pbbp2;
  message Header { required string key = 1; required string value = 2; }
  message Frame {
    required uint64 SeqID = 1;
    required uint64 LogID = 2;
    required int32 service = 3;
    required int32 method = 4;
    repeated Header headers = 5;
    optional string payload_encoding = 6;
    optional string payload_type = 7;
    optional bytes payload = 8;
    optional string LogIDNew = 9;
  }`,
  { keepCase: true },
);
const FrameType = root.lookupType('pbbp2.Frame');

/** A frame's `method`: control frames carry ping/pong, data frames carry events and their answers. */
export const FrameMethod = { control: 0, data: 1 } as const;

export interface FrameHeader {
  key: string;
  value: string;
}

export interface Frame {
  SeqID: number;
  LogID: number;
  /** The service_id the endpoint put in the connection URL. */
  service: number;
  method: number;
  /** `type` (event, ping, pong), and for events `message_id`, `sum`, `seq`, `trace_id`. */
  headers: FrameHeader[];
  payload?: Uint8Array;
}

export function encodeFrame(frame: Frame): Uint8Array {
  return FrameType.encode(FrameType.fromObject(frame)).finish();
}

/** Throws on bytes that are not a Frame (missing required fields included). */
export function decodeFrame(bytes: Uint8Array): Frame {
  const object = FrameType.toObject(FrameType.decode(bytes), { longs: Number, arrays: true });
  return object as Frame;
}

export function headerOf(frame: Frame, key: string): string | undefined {
  return frame.headers.find((h) => h.key === key)?.value;
}
