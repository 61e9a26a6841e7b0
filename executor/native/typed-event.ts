/**
 * Owns a core/v1 Event as kubectl's typed client hands it to `kubectl events -o json|yaml`: read
 * into Go's corev1.Event and written back by encoding/json, so its fields come in the struct's
 * order, those marked omitempty left out when empty (structs and times never are: an unset time is
 * null), times as metav1.Time (RFC 3339, whole seconds) and MicroTime (six fraction digits) write
 * them, maps' keys sorted, managed fields left out as kubectl's printer leaves them. An event holding
 * a field the struct lacks (kubectl would drop it silently), or a time not already in the form Go
 * writes back, answers undefined: not modelled, so the command runs kubectl.
 */

type Fields = Record<string, unknown>;

class Unmodelled extends Error {}

const isFields = (value: unknown): value is Fields =>
  value !== null && typeof value === "object" && !Array.isArray(value);

const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const MICRO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

/** A struct's fields: each known key's writer, in struct order; any other key is unmodelled. */
type Writer = (value: unknown) => unknown;
function struct(fields: [string, Writer][]): Writer {
  const known = new Set(fields.map(([key]) => key));
  return (value) => {
    if (value === undefined || value === null) value = {};
    if (!isFields(value) || Object.keys(value).some((key) => !known.has(key))) throw new Unmodelled();
    const out: Fields = {};
    for (const [key, write] of fields) {
      const written = write(value[key]);
      if (written !== OMITTED) out[key] = written;
    }
    return out;
  };
}

const OMITTED = Symbol("omitted");

/** A string field: omitempty leaves "" out; without it, "" is written. */
const text =
  (omitEmpty = true): Writer =>
  (value) => {
    if (value === undefined || value === "") return omitEmpty ? OMITTED : "";
    if (typeof value !== "string") throw new Unmodelled();
    return value;
  };
const integer: Writer = (value) => {
  if (value === undefined || value === 0) return OMITTED;
  if (typeof value !== "number" || !Number.isSafeInteger(value)) throw new Unmodelled();
  return value;
};
/** A metav1.Time or MicroTime: null when unset, else already in the form Go writes back. */
const timeOf =
  (form: RegExp): Writer =>
  (value) => {
    if (value === undefined || value === null) return null;
    if (typeof value !== "string" || !form.test(value)) throw new Unmodelled();
    return value;
  };
/** A map of strings, keys sorted as Go sorts them; omitempty. */
const strings: Writer = (value) => {
  if (value === undefined || value === null) return OMITTED;
  if (!isFields(value) || !Object.values(value).every((v) => typeof v === "string")) throw new Unmodelled();
  const keys = Object.keys(value).sort();
  return keys.length === 0 ? OMITTED : Object.fromEntries(keys.map((key) => [key, value[key]]));
};
/** A pointer to a struct, omitempty: left out when nil. */
const pointer =
  (write: Writer): Writer =>
  (value) =>
    value === undefined || value === null ? OMITTED : write(value);
/** A field kubectl's printer drops (managed fields), whatever it holds. */
const dropped: Writer = () => OMITTED;

const objectReference = struct([
  ["kind", text()],
  ["namespace", text()],
  ["name", text()],
  ["uid", text()],
  ["apiVersion", text()],
  ["resourceVersion", text()],
  ["fieldPath", text()],
]);

const objectMeta = struct([
  ["name", text()],
  ["generateName", text()],
  ["namespace", text()],
  ["selfLink", text()],
  ["uid", text()],
  ["resourceVersion", text()],
  ["generation", integer],
  ["creationTimestamp", timeOf(TIME)],
  ["labels", strings],
  ["annotations", strings],
  ["managedFields", dropped],
]);

const event = struct([
  ["kind", () => "Event"],
  ["apiVersion", () => "v1"],
  ["metadata", objectMeta],
  ["involvedObject", objectReference],
  ["reason", text()],
  ["message", text()],
  [
    "source",
    struct([
      ["component", text()],
      ["host", text()],
    ]),
  ],
  ["firstTimestamp", timeOf(TIME)],
  ["lastTimestamp", timeOf(TIME)],
  ["count", integer],
  ["type", text()],
  ["eventTime", timeOf(MICRO_TIME)],
  [
    "series",
    pointer(
      struct([
        ["count", integer],
        ["lastObservedTime", timeOf(MICRO_TIME)],
      ]),
    ),
  ],
  ["action", text()],
  ["related", pointer(objectReference)],
  ["reportingComponent", text(false)],
  ["reportingInstance", text(false)],
]);

/**
 * One event as kubectl's typed client gives it (kind Event, apiVersion v1); undefined where not
 * modelled. Its managed fields are left out, as the -o json and yaml printers leave them out, unless
 * `managedFields` keeps them (a go-template sees them): as the server wrote them, from the same struct.
 */
export function typedEvent(e: unknown, { managedFields = false } = {}): Fields | undefined {
  // Its own kind and apiVersion, if the server sent them, are Event and v1 anyway.
  const { kind: _, apiVersion: __, ...rest } = isFields(e) ? e : {};
  try {
    const typed = event(rest) as Fields;
    const kept = isFields(rest.metadata) ? rest.metadata.managedFields : undefined;
    if (managedFields && Array.isArray(kept) && kept.length > 0 && isFields(typed.metadata))
      typed.metadata.managedFields = kept;
    return typed;
  } catch (error) {
    if (error instanceof Unmodelled) return undefined;
    throw error;
  }
}

/**
 * The EventList kubectl events prints with -o json or yaml: kind and apiVersion it sets, empty list
 * metadata, the events given (already filtered and sorted); undefined where not modelled.
 */
export function typedEventList(
  events: readonly unknown[],
  options = { managedFields: false },
): Fields | undefined {
  const items = events.map((e) => typedEvent(e, options));
  if (!items.every((item) => item !== undefined)) return undefined;
  return { kind: "EventList", apiVersion: "v1", metadata: {}, items };
}
