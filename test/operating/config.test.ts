/**
 * The operating options as configured: rate limits, /metrics, the access log and the follow window, by
 * flag or variable.
 */
import { describe, expect, test } from "bun:test";
import { ConfigError, describeConfig, resolveServerConfig } from "../../src/config";
import { KeyRing } from "../../src/modules/auth/keys";

const resolve = (env: Record<string, string>, flags: Record<string, string> = {}) =>
  resolveServerConfig(flags, env);

describe("operating options", () => {
  test("default to no rate limits, metrics on and the access log on", () => {
    const config = resolve({});
    expect(config).toMatchObject({ rateLimit: null, clusterRateLimit: null, metrics: true, accessLog: true });
    const none = new KeyRing([]);
    expect(describeConfig(config, { clients: none, admins: none })).toMatchObject({
      rate_limit: "off",
      cluster_rate_limit: "off",
      metrics: "on",
      access_log: "on",
    });
  });

  test.each([
    ["20", { perSecond: 20, burst: 20 }],
    ["20:40", { perSecond: 20, burst: 40 }],
    ["0.5", { perSecond: 0.5, burst: 1 }],
    ["0.5:10", { perSecond: 0.5, burst: 10 }],
    ["off", null],
  ])("a rate limit of '%s' is %o", (spec, limit) => {
    expect(resolve({ KUBENTLY_RATE_LIMIT: spec }).rateLimit).toEqual(limit);
    expect(resolve({}, { clusterRateLimit: spec }).clusterRateLimit).toEqual(limit);
  });

  test.each(["0", "-1", "fast", "10:0", "10:", "1.5:2.5", "2000000"])(
    "'%s' is refused, naming the variable",
    (spec) => {
      expect(() => resolve({ KUBENTLY_RATE_LIMIT: spec })).toThrow(ConfigError);
      expect(() => resolve({ KUBENTLY_RATE_LIMIT: spec })).toThrow("KUBENTLY_RATE_LIMIT (--rate-limit)");
      expect(() => resolve({ KUBENTLY_CLUSTER_RATE_LIMIT: spec })).toThrow("KUBENTLY_CLUSTER_RATE_LIMIT");
    },
  );

  test("the follow window: 30 and 120 s by default, configurable, the default never over the maximum", () => {
    expect(resolve({})).toMatchObject({ followDefaultSeconds: 30, followMaxSeconds: 120 });
    expect(resolve({ KUBENTLY_FOLLOW_MAX_SECONDS: "200" }, { followDefaultSeconds: "10" })).toMatchObject({
      followDefaultSeconds: 10,
      followMaxSeconds: 200,
    });
    expect(() => resolve({ KUBENTLY_FOLLOW_DEFAULT_SECONDS: "121" })).toThrow(
      "KUBENTLY_FOLLOW_DEFAULT_SECONDS, KUBENTLY_FOLLOW_MAX_SECONDS: the default follow window (121 s) must not exceed the maximum (120 s)",
    );
    expect(() => resolve({ KUBENTLY_FOLLOW_MAX_SECONDS: "281" })).toThrow(
      "KUBENTLY_FOLLOW_MAX_SECONDS (--follow-max-seconds) must be a whole number from 1 to 280",
    );
  });

  test("metrics and the access log are on or off, and a flag wins over the variable", () => {
    expect(resolve({ KUBENTLY_METRICS: "off", KUBENTLY_ACCESS_LOG: "off" })).toMatchObject({
      metrics: false,
      accessLog: false,
    });
    expect(resolve({ KUBENTLY_METRICS: "off" }, { metrics: "on" }).metrics).toBe(true);
    expect(() => resolve({ KUBENTLY_ACCESS_LOG: "no" })).toThrow(
      "KUBENTLY_ACCESS_LOG (--access-log) must be on or off",
    );
  });
});
