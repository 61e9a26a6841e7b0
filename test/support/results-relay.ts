/**
 * A stand-in between the executor's result poster and a real server, on loopback: it records each
 * result post (its route, the command ids it carried, the status it got), can hold posts until the
 * test releases them, and can answer a post itself instead of passing it on. So a test sees how
 * results were grouped into requests without timing anything. Output parts (PUT) are recorded by
 * path and passed on, unless the test answers them itself.
 */
export interface ResultPost {
  route: "batch" | "single";
  commandIds: string[];
  /** The answer's status, once answered. */
  status: number | null;
}

export interface RelayOptions {
  /** Holds every post until release(); later ones pass at once. */
  hold?: boolean;
  /** The relay's own answer to a post (the `index`-th, from 0), or undefined to pass it on. */
  answer?(post: ResultPost, index: number): Response | undefined;
  /** The relay's own answer to an output part (the `index`-th, from 0), or undefined to pass it on. */
  answerPart?(path: string, index: number): Response | undefined;
}

export interface ResultsRelay {
  url: string;
  posts: ResultPost[];
  /** The paths of the output parts sent, in order, and what each was answered. */
  parts: { path: string; status: number }[];
  /** Resolves once `count` posts have arrived, held or not. */
  arrived(count: number, withinMs?: number): Promise<void>;
  release(): void;
  stop(): Promise<void>;
}

/** Headers the executor sends that the server reads. */
const FORWARDED = ["authorization", "x-cluster-id", "x-executor-version", "x-executor-id", "content-type"];

export function startResultsRelay(target: string, options: RelayOptions = {}): ResultsRelay {
  const posts: ResultPost[] = [];
  const parts: ResultsRelay["parts"] = [];
  const waiters: { count: number; resolve(): void }[] = [];
  let release = () => {};
  const released = options.hold ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve();
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      const { pathname } = new URL(request.url);
      const body = await request.text();
      const forwardedHeaders = () =>
        Object.fromEntries(
          FORWARDED.flatMap((name) => {
            const value = request.headers.get(name);
            return value === null ? [] : [[name, value]];
          }),
        );
      if (request.method === "PUT") {
        const own = options.answerPart?.(pathname, parts.length);
        const response =
          own ?? (await fetch(target + pathname, { method: "PUT", headers: forwardedHeaders(), body }));
        parts.push({ path: pathname, status: response.status });
        return new Response(await response.text(), { status: response.status, headers: response.headers });
      }
      const batch = pathname.endsWith("/batch");
      const parsed = JSON.parse(body);
      const results = (batch ? parsed.results : [parsed]) as { command_id: string }[];
      const post: ResultPost = {
        route: batch ? "batch" : "single",
        commandIds: results.map((result) => result.command_id),
        status: null,
      };
      const index = posts.push(post) - 1;
      for (const waiter of waiters.filter((waiter) => posts.length >= waiter.count)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
      await released;
      const own = options.answer?.(post, index);
      if (own) {
        post.status = own.status;
        return own;
      }
      const response = await fetch(target + pathname, { method: "POST", headers: forwardedHeaders(), body });
      post.status = response.status;
      return new Response(await response.text(), {
        status: response.status,
        headers: { "content-type": response.headers.get("content-type") ?? "application/json" },
      });
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    posts,
    parts,
    arrived(count, withinMs = 5_000) {
      if (posts.length >= count) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${posts.length} of ${count} posts arrived within ${withinMs} ms`)),
          withinMs,
        );
        waiters.push({
          count,
          resolve() {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    release: () => release(),
    stop: () => server.stop(true),
  };
}
