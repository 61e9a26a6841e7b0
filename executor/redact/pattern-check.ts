/**
 * Owns deciding whether a policy's own pattern is safe to run over every output an executor sends:
 * it must not backtrack exponentially (safe-regex2 judges), and a value pattern, which runs over
 * whole outputs of up to the output cap, may only repeat a bounded number of times (at most
 * MAX_REPEAT): `.*x` or `[^@]+@` over a megabyte with no x or @ takes time quadratic in its size,
 * and credentials have a bounded length anyway.
 */
import safeRegex from "safe-regex2";

const MAX_REPEAT = 256;

/** The first repetition in `source` with no bound, or a bound over MAX_REPEAT; undefined if none. */
function unboundedRepeat(source: string): string | undefined {
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === "\\") {
      i++;
    } else if (inClass) {
      inClass = c !== "]";
    } else if (c === "[") {
      inClass = true;
    } else if (c === "*" || c === "+") {
      return c;
    } else if (c === "{") {
      const repeat = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
      if (repeat === null) continue;
      const [text, min, comma, max] = repeat;
      if (Number(min) > MAX_REPEAT || (comma !== undefined && (max === "" || Number(max) > MAX_REPEAT)))
        return text;
      i += text.length - 1;
    }
  }
  return undefined;
}

/** Why `pattern` may not run over outputs, or undefined when it may. */
export function patternProblem(pattern: RegExp, overWholeOutputs: boolean): string | undefined {
  if (!safeRegex(pattern)) {
    return "could take exponential time on some output (nested or repeated quantifiers); rewrite it";
  }
  const repeat = overWholeOutputs ? unboundedRepeat(pattern.source) : undefined;
  if (repeat !== undefined) {
    return `repeats without a bound of at most ${MAX_REPEAT} (${repeat}): use {m,n}, since a credential has a bounded length and an unbounded repeat can take time quadratic in the output's size`;
  }
  return undefined;
}
