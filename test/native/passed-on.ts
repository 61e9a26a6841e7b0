/**
 * What a following command passes on to a streaming caller as it arrives (`RunRequest.onOutput`),
 * and waits on it: the oracles compare it with the result and act once a line, or enough, came.
 */
export function passedOn() {
  const text = { stdout: "", stderr: "" };
  const decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };
  const waiters: { came: () => boolean; arrived: () => void }[] = [];
  /** Whether `wanted` is in stdout `times` times, the last in a line that has ended. */
  const lines = (wanted: string, times: number) => () => {
    let at = -1;
    for (let seen = 0; seen < times; seen++) {
      at = text.stdout.indexOf(wanted, at + 1);
      if (at < 0) return false;
    }
    // kubectl's tabwriter writes a row a cell at a time: a line has come once it has ended.
    return text.stdout.indexOf("\n", at) >= 0;
  };
  const until = (came: () => boolean) =>
    came() ? Promise.resolve() : new Promise<void>((arrived) => waiters.push({ came, arrived }));
  return {
    text,
    onOutput(stream: "stdout" | "stderr", bytes: Uint8Array) {
      text[stream] += decoders[stream].decode(bytes, { stream: true });
      for (const waiter of waiters.filter((w) => w.came())) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.arrived();
      }
    },
    /** Resolves once stdout holds `wanted` `times` times, in whole lines (any line, for ""). */
    printed: (wanted: string, times = 1) => until(lines(wanted, times)),
    /** Resolves once stdout is at least `length` characters long. */
    reached: (length: number) => until(() => text.stdout.length >= length),
  };
}
