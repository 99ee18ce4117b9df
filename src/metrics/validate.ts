/**
 * Input checks shared by the metrics (internal).
 *
 * @internal
 * @module
 */
import { HitrankError, assertFinite } from '../errors.js';

/**
 * Checks that `a` and `b` are array-likes of the same, non-zero length and
 * hold only finite numbers.
 *
 * @param a - first array.
 * @param b - second array.
 * @param nameA - name of `a` in messages.
 * @param nameB - name of `b` in messages.
 * @throws HitrankError `E_PARAM` (not an array), `E_SHAPE` (length mismatch),
 *   `E_EMPTY` (both empty), `E_NAN` (NaN or ±Infinity).
 * @internal
 */
export function checkPairedScores(a: ArrayLike<number>, b: ArrayLike<number>, nameA: string, nameB: string): number {
  checkArrayLike(a, nameA);
  checkArrayLike(b, nameB);
  if (a.length !== b.length) {
    throw new HitrankError(
      'E_SHAPE',
      `${nameA} has ${a.length} values but ${nameB} has ${b.length}; expected one value per song in both.`,
    );
  }
  if (a.length === 0) {
    throw new HitrankError('E_EMPTY', `${nameA} and ${nameB} are empty; expected at least one song.`);
  }
  assertFinite(a, nameA);
  assertFinite(b, nameB);
  return a.length;
}

/**
 * Throws `E_PARAM` unless `x` is an array-like (has a numeric `length`).
 *
 * @param x - the value to check.
 * @param name - its name in the message.
 * @internal
 */
export function checkArrayLike(x: unknown, name: string): asserts x is ArrayLike<number> {
  if (x === null || typeof x !== 'object' || typeof (x as { length?: unknown }).length !== 'number') {
    throw new HitrankError('E_PARAM', `${name} must be an array or typed array of numbers, got ${describe(x)}.`);
  }
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  return typeof x;
}
