/**
 * Owns the word wrapping kubectl's explain applies to descriptions: mitchellh/go-wordwrap v1.0.1's
 * WrapString, step for step. Lines break only at white space (a word longer than the limit is left
 * whole on its own line), existing line breaks are kept, the spaces where a line breaks are dropped,
 * and widths count code points, as Go ranges over a string's runes.
 */

const NBSP = 0xa0;

/** Go's unicode.IsSpace. */
function isSpace(code: number): boolean {
  if (code <= 0xff) return code === 0x20 || (code >= 0x09 && code <= 0x0d) || code === 0x85 || code === NBSP;
  return (
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

export function wrapString(s: string, limit: number): string {
  let out = "";
  let current = 0;
  let word = "";
  let wordLength = 0;
  let space = "";
  let spaceLength = 0;
  /** Writes the spaces and the word held back, and holds nothing. */
  const emit = () => {
    out += space + word;
    space = "";
    spaceLength = 0;
    word = "";
    wordLength = 0;
  };
  for (const char of s) {
    const code = char.codePointAt(0) as number;
    if (char === "\n") {
      // Spaces before a line break are kept only where they fit.
      if (wordLength === 0 && current + spaceLength > limit) space = "";
      emit();
      out += char;
      current = 0;
    } else if (isSpace(code) && code !== NBSP) {
      if (spaceLength === 0 || wordLength > 0) {
        current += spaceLength + wordLength;
        emit();
      }
      space += char;
      spaceLength++;
    } else {
      word += char;
      wordLength++;
      if (current + wordLength + spaceLength > limit && wordLength < limit) {
        out += "\n";
        current = 0;
        space = "";
        spaceLength = 0;
      }
    }
  }
  if (wordLength === 0 && current + spaceLength > limit) space = "";
  emit();
  return out;
}
