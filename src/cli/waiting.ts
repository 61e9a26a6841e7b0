/**
 * The line that says a call is still waiting (an offline cluster, a slow kubectl): on stderr, only
 * when stderr is a terminal, so pipes, files and programs reading --json never see it. It appears
 * after a moment, counts the seconds in place, and is erased before anything else is printed.
 */

/** Long enough that a quick answer never flickers a line; short enough that a wait is never silent. */
const SHOW_AFTER_MS = 400;

export interface Waiting {
  stop(): void;
}

/** Shows `waiting for <what>… Ns` on a terminal until stop(); does nothing elsewhere. */
export function showWaiting(what: string): Waiting {
  const stderr = process.stderr;
  if (!stderr.isTTY) return { stop: () => {} };
  const started = Date.now();
  let shown = false;
  const draw = () => {
    shown = true;
    const seconds = Math.floor((Date.now() - started) / 1000);
    stderr.write(`\r\x1b[Kwaiting for ${what}… ${seconds}s (Ctrl-C to stop)`);
  };
  let ticker: ReturnType<typeof setInterval> | undefined;
  const first = setTimeout(() => {
    draw();
    ticker = setInterval(draw, 1000);
  }, SHOW_AFTER_MS);
  return {
    stop() {
      clearTimeout(first);
      clearInterval(ticker);
      // Once: a streamed answer stops it at every chunk.
      if (shown) stderr.write("\r\x1b[K");
      shown = false;
    },
  };
}
