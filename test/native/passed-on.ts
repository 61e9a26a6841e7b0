/**
 * What a following command passes on to a streaming caller as it arrives (`RunRequest.onOutput`),
 * and a wait for a line in it: the oracles compare it with the result and act once a line came.
 */
export function passedOn() {
  const text = { stdout: "", stderr: "" };
  const decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };
  const waiters: { wanted: string; arrived: () => void }[] = [];
  // kubectl's tabwriter writes a row a cell at a time: a line has come once it has ended.
  const came = (wanted: string) => {
    const at = text.stdout.indexOf(wanted);
    return at >= 0 && text.stdout.indexOf("\n", at) >= 0;
  };
  return {
    text,
    onOutput(stream: "stdout" | "stderr", bytes: Uint8Array) {
      text[stream] += decoders[stream].decode(bytes, { stream: true });
      for (const waiter of waiters.filter((w) => came(w.wanted))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.arrived();
      }
    },
    /** Resolves once stdout holds a whole line with `wanted` in it (any line, for ""). */
    printed: (wanted: string) =>
      came(wanted) ? Promise.resolve() : new Promise<void>((arrived) => waiters.push({ wanted, arrived })),
  };
}
