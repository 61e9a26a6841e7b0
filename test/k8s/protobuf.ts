/**
 * Owns reading the request bodies kubectl sends as protobuf (`application/vnd.kubernetes.protobuf`,
 * what its typed client sends a built-in kind as; `auth can-i` does): the API server's envelope,
 * the magic `k8s\0` then a runtime.Unknown whose field 2 holds the object's own message. Only what
 * the stand-in reads is decoded: wire types varint and length-delimited, each field's bytes kept.
 */

/** A message's length-delimited fields by number, each as its bytes (repeated ones in order). */
export type Message = Map<number, Uint8Array[]>;

const MAGIC = [0x6b, 0x38, 0x73, 0x00];

function varint(bytes: Uint8Array, at: number): [number, number] {
  let value = 0;
  for (let shift = 0, i = at; i < bytes.length && shift < 35; shift += 7, i++) {
    const byte = bytes[i] as number;
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return [value, i + 1];
  }
  throw new Error("a varint runs past the message");
}

export function readMessage(bytes: Uint8Array): Message {
  const fields: Message = new Map();
  for (let at = 0; at < bytes.length; ) {
    const [key, next] = varint(bytes, at);
    const [field, wire] = [Math.floor(key / 8), key % 8];
    if (wire === 0) {
      at = varint(bytes, next)[1];
    } else if (wire === 2) {
      const [length, start] = varint(bytes, next);
      if (start + length > bytes.length) throw new Error("a field runs past the message");
      fields.set(field, [...(fields.get(field) ?? []), bytes.subarray(start, start + length)]);
      at = start + length;
    } else throw new Error(`wire type ${wire} is not read here`);
  }
  return fields;
}

/** The object inside the API server's protobuf envelope. */
export function unwrap(body: Uint8Array): Message {
  if (!MAGIC.every((byte, i) => body[i] === byte)) throw new Error("not a Kubernetes protobuf body");
  const raw = readMessage(body.subarray(MAGIC.length)).get(2)?.[0];
  if (raw === undefined) throw new Error("the envelope holds no object");
  return readMessage(raw);
}

const decoder = new TextDecoder();

/** A message's string field, or undefined when it is not there. */
export const text = (message: Message | undefined, field: number): string | undefined => {
  const bytes = message?.get(field)?.[0];
  return bytes === undefined ? undefined : decoder.decode(bytes);
};

/** A message's embedded message field, or undefined when it is not there. */
export const nested = (message: Message | undefined, field: number): Message | undefined => {
  const bytes = message?.get(field)?.[0];
  return bytes === undefined ? undefined : readMessage(bytes);
};
