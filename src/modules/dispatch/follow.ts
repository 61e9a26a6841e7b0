/**
 * The window of a following command (`logs -f`, `get -w`, `events -w`, `rollout status`), decided on
 * parsed argv as the executor decides it: how long it runs before the executor stops it, and the
 * timeout that leaves room for it. A window over the server's maximum is refused before anything is
 * queued; a timeout below the window and its margin is raised, so a follow ends by its window.
 */
import { isFollowing } from "../../../executor/following";
import { badRequest } from "../../http/errors";
import { FOLLOW_SECONDS_CEILING, MAX_COMMAND_TIMEOUT_SECONDS } from "../../models";

export interface FollowOptions {
  /** The window of a following command that names none. */
  defaultSeconds: number;
  /** The longest window a caller may ask for; at most FOLLOW_SECONDS_CEILING. */
  maxSeconds: number;
}

export const DEFAULT_FOLLOW_OPTIONS: FollowOptions = { defaultSeconds: 30, maxSeconds: 120 };

/** Time beyond the window for kubectl to start, a slot to free, and the result to come back. */
export const FOLLOW_MARGIN_SECONDS = 10;

/** What a command carries about its window: absent fields for a command that does not follow. */
export interface Windowed {
  timeoutSeconds: number;
  followSeconds?: number;
  followLines?: number;
}

/**
 * 400 FOLLOW_WINDOW_TOO_LONG for a window over the server's maximum, whether or not the command
 * follows: the caller asked for something no command may have. Also checked once for a whole fleet.
 */
export function refuseLongWindow(input: { follow_seconds?: number }, options: FollowOptions): void {
  if (input.follow_seconds !== undefined && input.follow_seconds > options.maxSeconds) {
    throw badRequest(
      "FOLLOW_WINDOW_TOO_LONG",
      `follow_seconds may be at most ${options.maxSeconds} on this server`,
      { follow_seconds: input.follow_seconds, max_follow_seconds: options.maxSeconds },
    );
  }
}

export function windowed(
  input: { command_type: string; args: string[]; follow_seconds?: number; follow_lines?: number },
  /** The timeout the command gets otherwise: asked for, or the default, within the caller's bound. */
  timeoutSeconds: number,
  /** X-Request-Timeout: the caller's own bound, which a raised timeout must not pass. */
  callerBound: number | undefined,
  options: FollowOptions,
): Windowed {
  refuseLongWindow(input, options);
  if (!isFollowing([input.command_type, ...input.args])) return { timeoutSeconds };
  const bound = Math.min(callerBound ?? MAX_COMMAND_TIMEOUT_SECONDS, MAX_COMMAND_TIMEOUT_SECONDS);
  // Within the caller's own bound the window shrinks to fit, rather than outlive the caller's wait.
  const followSeconds = Math.max(
    1,
    Math.min(input.follow_seconds ?? options.defaultSeconds, bound - FOLLOW_MARGIN_SECONDS),
  );
  return {
    timeoutSeconds: Math.min(bound, Math.max(timeoutSeconds, followSeconds + FOLLOW_MARGIN_SECONDS)),
    followSeconds,
    ...(input.follow_lines !== undefined ? { followLines: input.follow_lines } : {}),
  };
}

/** The server's options as configured, checked: the default within the maximum, both under the ceiling. */
export function checkFollowOptions(options: FollowOptions): string | null {
  if (options.maxSeconds > FOLLOW_SECONDS_CEILING)
    return `the follow maximum may be at most ${FOLLOW_SECONDS_CEILING} s`;
  if (options.defaultSeconds > options.maxSeconds)
    return `the default follow window (${options.defaultSeconds} s) must not exceed the maximum (${options.maxSeconds} s)`;
  return null;
}
