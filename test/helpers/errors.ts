// What a call throws, for asserting error codes.
import { HitrankError } from '../../src/errors.js';

/**
 * Runs `fn` and returns the code of the HitrankError it throws, a
 * `not a HitrankError: …` string for any other throw, or `undefined` when it
 * returns normally.
 */
export function thrownCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof HitrankError ? e.code : `not a HitrankError: ${String(e)}`;
  }
  return undefined;
}
