/**
 * Owns what `kubectl describe configmap` prints for one ConfigMap, as kubectl v1.32's
 * ConfigMapDescriber writes it: labels and annotations, then each data key over a dashed rule and
 * its value as it is, each binary key with its length in bytes, then its events. kubectl walks both
 * maps in Go's random map order, so two kubectl runs need not print the keys in the same order; this
 * prints them in byte order of key, which is one of the orders kubectl prints (each key's lines are
 * the same in any order, and the tab-free key lines keep Go's tabwriter from aligning across keys).
 */
import { byKey, events, laidOutBy, nameAndLabels, unmodeled, Writer } from "./describe-parts";
import type { DescribedConfigMap } from "./describe-types";
import { decodesAsBytes } from "./go-json";
import type { KubeEvent } from "./kube-types";

function describe(configMap: DescribedConfigMap, list: KubeEvent[] | undefined, now: number) {
  const { metadata } = configMap;
  const data = byKey(configMap.data);
  const binary = byKey(configMap.binaryData);
  const w = new Writer();
  nameAndLabels(w, metadata);
  w.write(0, "\nData\n====\n");
  for (const [key, value] of data) w.write(0, `${key}:\n----\n${value}\n\n`);
  w.write(0, "\nBinaryData\n====\n");
  for (const [key, value] of binary) {
    if (decodesAsBytes(value) !== true) unmodeled();
    w.write(0, `${key}: ${Buffer.from(value, "base64").length} bytes\n`);
  }
  w.write(0, "\n");
  events(w, list, now);
  return w.text;
}

/** What kubectl describe prints for `configMap` and its events, laid out; undefined where a binary value is not base64. */
export const describeConfigMap = laidOutBy(describe);
