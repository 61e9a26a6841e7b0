/**
 * The Redis store URLs, chiefly Sentinel's: what a well-formed one connects to, a clear StoreUrlError
 * for each mistake (never repeating the password), and redactUrl hiding both passwords it can carry.
 */
import { describe, expect, test } from "bun:test";
import { redactUrl, StoreUrlError } from "../../src/store";
import { redisTarget, sentinelConnection } from "../../src/store/redis-url";

const SECRET = "s3cr:et@pw";
const encoded = encodeURIComponent(SECRET);

describe("a redis+sentinel:// URL", () => {
  test("names the sentinels, the master, the db and both sets of credentials", () => {
    const { options, waitReplicas } = sentinelConnection(
      `redis+sentinel://kubently:${encoded}@10.0.0.1:5000,sentinel-b,[::1]:26380/main-store.1/4` +
        `?sentinel_username=watcher&sentinel_password=${encoded}&wait_replicas=1`,
    );
    expect(options).toMatchObject({
      sentinels: [
        { host: "10.0.0.1", port: 5000 },
        { host: "sentinel-b", port: 26379 },
        { host: "::1", port: 26380 },
      ],
      name: "main-store.1",
      role: "master",
      username: "kubently",
      password: SECRET,
      db: 4,
      sentinelUsername: "watcher",
      sentinelPassword: SECRET,
      failoverDetector: true,
      enableTLSForSentinelMode: false,
    });
    expect(options.tls).toBeUndefined();
    expect(waitReplicas).toBe(1);
  });

  test("leaves out what it does not name: db 0, no credentials, no wait", () => {
    const { options, waitReplicas } = sentinelConnection("redis+sentinel://127.0.0.1/mymaster");
    expect(options).toMatchObject({
      sentinels: [{ host: "127.0.0.1", port: 26379 }],
      name: "mymaster",
      db: 0,
    });
    expect(options.password).toBeUndefined();
    expect(options.sentinelPassword).toBeUndefined();
    expect(waitReplicas).toBe(0);
  });

  test("rediss+sentinel:// is TLS to the sentinels and to the primary", () => {
    const { options } = sentinelConnection("rediss+sentinel://s1:1,s2:2/m");
    expect(options.tls).toEqual({});
    expect(options.sentinelTLS).toEqual({});
    expect(options.enableTLSForSentinelMode).toBe(true);
  });

  test("redisTarget reads every form", () => {
    expect(redisTarget("redis://127.0.0.1:7000/2")).toEqual({
      kind: "single",
      options: expect.objectContaining({ host: "127.0.0.1", port: 7000, db: 2 }),
      waitReplicas: 0,
    });
    expect(redisTarget("redis+sentinel://s1/m?wait_replicas=2")).toMatchObject({
      kind: "single",
      options: { name: "m" },
      waitReplicas: 2,
    });
    expect(redisTarget(`rediss+cluster://u:${encoded}@10.0.0.1:7000,10.0.0.2`)).toEqual({
      kind: "cluster",
      nodes: [
        { host: "10.0.0.1", port: 7000 },
        { host: "10.0.0.2", port: 6379 },
      ],
      options: { username: "u", password: SECRET, tls: {} },
    });
  });

  test("a redis+cluster:// URL asking for wait_replicas is refused, whatever the password holds", () => {
    expect(() => redisTarget(`redis+cluster://u:${encoded}@h1:7000,h2:7001?wait_replicas=1`)).toThrow(
      /cannot take wait_replicas/,
    );
    // A password may hold the option's spelling (& and = need no escape there): it is not the option.
    expect(redisTarget("redis+cluster://u:x&wait_replicas=1@h1:7000")).toMatchObject({
      kind: "cluster",
      options: { password: "x&wait_replicas=1" },
    });
  });

  test.each([
    ["no sentinel", `redis+sentinel://u:${encoded}@/m`, "names no sentinel"],
    ["two commas", "redis+sentinel://s1,,s2/m", "empty sentinel address"],
    ["a trailing comma", "redis+sentinel://s1,/m", "empty sentinel address"],
    ["a port that is not a number", "redis+sentinel://s1:http/m", "not host[:port]: 's1:http'"],
    ["an empty port", "redis+sentinel://s1:/m", "not host[:port]: 's1:'"],
    ["a port out of range", "redis+sentinel://s1:70000/m", "port out of range: 's1:70000'"],
    ["port 0", "redis+sentinel://s1:0/m", "port out of range: 's1:0'"],
    ["a space in a host", "redis+sentinel://s 1/m", "not host[:port]"],
    ["an unclosed IPv6 bracket", "redis+sentinel://[::1:26379/m", "not host[:port]"],
    ["no master name", "redis+sentinel://s1:26379", "names no master"],
    ["an empty master name", "redis+sentinel://s1/", "names no master"],
    ["a master name sentinel would refuse", "redis+sentinel://s1/my%20master", "master name with characters"],
    ["a db that is not a number", "redis+sentinel://s1/m/zero", "more than a master name and a db"],
    ["more path than master and db", "redis+sentinel://s1/m/0/x", "more than a master name and a db"],
    [
      "an option it does not know",
      "redis+sentinel://s1/m?sentinel_pasword=x",
      "does not know: 'sentinel_pasword'",
    ],
    [
      "an option set twice",
      "redis+sentinel://s1/m?wait_replicas=1&wait_replicas=2",
      "sets 'wait_replicas' twice",
    ],
    ["a wait_replicas that is not a number", "redis+sentinel://s1/m?wait_replicas=all", "wait_replicas"],
    ["a fragment", "redis+sentinel://s1/m#x", "#fragment"],
    ["a password with a broken %-escape", "redis+sentinel://u:p%zzw@s1/m", "is not a URL"],
  ])("with %s is refused, saying so and showing the form", (_, url, why) => {
    let error: unknown;
    try {
      sentinelConnection(url);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(StoreUrlError);
    const message = (error as Error).message;
    expect(message).toContain(why);
    expect(message).toContain("redis+sentinel://[user:password@]host[:port][,host[:port]…]/master-name[/db]");
    expect(message).not.toContain(encoded);
  });
});

describe("redactUrl", () => {
  test.each([
    [`redis+sentinel://kubently:${encoded}@s1:1,s2:2/m/0`, "redis+sentinel://kubently:***@s1:1,s2:2/m/0"],
    [
      `redis+sentinel://s1/m?sentinel_username=w&sentinel_password=${encoded}&wait_replicas=1`,
      "redis+sentinel://s1/m?sentinel_username=w&sentinel_password=***&wait_replicas=1",
    ],
    ["redis+sentinel://s1/m?sentinel_password=pw", "redis+sentinel://s1/m?sentinel_password=***"],
    // Not percent-encoded: the user ends at the first colon, the password at the last @.
    ["redis://user:pa:ss@wo@rd@h:6379/0", "redis://user:***@h:6379/0"],
    ["redis://:pw@h", "redis://:***@h"],
    ["redis://h:6379/0", "redis://h:6379/0"],
  ])("%s → %s", (url, redacted) => {
    expect(redactUrl(url)).toBe(redacted);
  });
});
