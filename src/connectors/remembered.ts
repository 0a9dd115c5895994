// A pure function of a string with its answers kept: native documents repeat a few dozen keys
// and wordings, read per field of every record. Bounded by emptying when full rather than by
// LRU order, so a hit costs one Map lookup on these per-field paths; long inputs are not kept.
export interface RememberedBounds {
  /** Answers kept at most; the next new one empties the store first. */
  max: number;
  /** Inputs longer than this are read every time (default: no limit). */
  maxInputLength?: number;
}

/** `read` with its answers (undefined included) kept, within `bounds`. */
export function remembered<T>(read: (input: string) => T, { max, maxInputLength = Number.POSITIVE_INFINITY }: RememberedBounds): (input: string) => T {
  const answers = new Map<string, T>();
  return (input) => {
    const known = answers.get(input);
    if (known !== undefined || answers.has(input)) return known as T;
    const answer = read(input);
    if (input.length <= maxInputLength) {
      if (answers.size >= max) answers.clear();
      answers.set(input, answer);
    }
    return answer;
  };
}
