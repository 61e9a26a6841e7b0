/**
 * For conditions another process brings about with no event a test can wait on (ioredis
 * reconnecting, an executor process finishing work): retries `attempt` until it stops throwing,
 * with a short pause between tries, failing with its last error after `withinMs`. Bounded.
 */
export async function eventually<T>(attempt: () => Promise<T>, withinMs = 10_000): Promise<T> {
  const giveUp = Date.now() + withinMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > giveUp) throw error;
      await Bun.sleep(50);
    }
  }
}
