/**
 * Owns the managed fields the stand-in serves: a real API server's field manager records, on every
 * object it stores, which manager set which fields (`metadata.managedFields`), so every object a
 * client reads carries them. kubectl's -o json and -o yaml leave them out; jsonpath, custom columns
 * and the generic describer see them or skip them each their own way, which only shows when they
 * are there. Here: whoever applied the object set its labels and everything beside metadata and
 * status, and the controller that keeps its status set that, through the status subresource.
 */
import type { KubeObject } from "./types";

type FieldSet = Record<string, unknown>;

/** The fields a manager owns, as FieldsV1 writes them: `f:<name>` a key, `.` the map itself. */
function owned(keys: string[]): FieldSet {
  return Object.fromEntries(keys.map((key) => [`f:${key}`, {}]));
}

/** Gives the object the managed fields the API server would have recorded, unless it has some. */
export function manage(obj: KubeObject): KubeObject {
  if (obj.metadata.managedFields !== undefined) return obj;
  const { apiVersion, metadata } = obj;
  const time = metadata.creationTimestamp;
  const spec = Object.keys(obj).filter((key) => !["apiVersion", "kind", "metadata", "status"].includes(key));
  const applied: FieldSet = {
    ...(metadata.labels
      ? { "f:metadata": { "f:labels": { ".": {}, ...owned(Object.keys(metadata.labels)) } } }
      : {}),
    ...owned(spec),
  };
  const managedFields: FieldSet[] = [
    {
      apiVersion,
      fieldsType: "FieldsV1",
      fieldsV1: applied,
      manager: "kubectl-client-side-apply",
      operation: "Update",
      time,
    },
  ];
  const status = obj.status;
  if (status !== null && typeof status === "object") {
    managedFields.push({
      apiVersion,
      fieldsType: "FieldsV1",
      fieldsV1: { "f:status": { ".": {}, ...owned(Object.keys(status)) } },
      manager: "kube-controller-manager",
      operation: "Update",
      subresource: "status",
      time,
    });
  }
  // In place: tests hold the scenario's objects, and an object is the same object however read.
  metadata.managedFields = managedFields;
  return obj;
}
