/**
 * Errors thrown by hitrank. Every error the library raises on bad input is a
 * {@link HitrankError} whose {@link HitrankError.code | code} says what kind of
 * problem it is, and whose message names the offending value and what was
 * expected.
 *
 * @module
 */

/**
 * Machine-readable error codes.
 *
 * - `E_PARAM` — an option is out of range or of the wrong kind.
 * - `E_SAMPLE_RATE` — audio at a sample rate the function does not accept.
 * - `E_SHAPE` — arrays whose lengths or shapes do not fit together.
 * - `E_NAN` — NaN or ±Infinity where finite numbers are required.
 * - `E_EMPTY` — empty input.
 * - `E_TOO_SHORT` — audio (or a list) shorter than the options require.
 * - `E_CORRUPT_FILE` — a file that is truncated or not in the format it claims.
 * - `E_UNSUPPORTED` — a valid but unsupported format or option combination.
 * - `E_NO_PAIRS` — a pair sampler found no valid pair.
 * - `E_MISSING_DATA` — data required for a computation is absent.
 * - `E_VERSION` — a saved artefact from an incompatible version.
 * - `E_IO` — a read or write failed.
 */
export type HitrankErrorCode =
  | 'E_PARAM'
  | 'E_SAMPLE_RATE'
  | 'E_SHAPE'
  | 'E_NAN'
  | 'E_EMPTY'
  | 'E_TOO_SHORT'
  | 'E_CORRUPT_FILE'
  | 'E_UNSUPPORTED'
  | 'E_NO_PAIRS'
  | 'E_MISSING_DATA'
  | 'E_VERSION'
  | 'E_IO';

/**
 * The one error class of hitrank.
 *
 * @example
 * ```ts
 * try { logMel(pcm, { sampleRate: 44100 }); }
 * catch (e) { if (e instanceof HitrankError && e.code === 'E_SAMPLE_RATE') resampleFirst(); }
 * ```
 */
export class HitrankError extends Error {
  /** What kind of problem this is; stable across versions. */
  readonly code: HitrankErrorCode;
  /** The message without the `E_CODE: ` prefix (for wrapping it into another message). */
  readonly detail: string;

  /**
   * @param code - the error code.
   * @param message - a sentence naming the bad value and what was expected.
   */
  constructor(code: HitrankErrorCode, message: string) {
    super(`${code}: ${message}`);
    this.name = 'HitrankError';
    this.code = code;
    this.detail = message;
  }
}

/**
 * Throws `E_NAN` if any element of `x` is NaN or ±Infinity.
 *
 * @param x - the values to check.
 * @param what - how to name `x` in the message (e.g. `'audio samples'`).
 */
export function assertFinite(x: ArrayLike<number>, what: string): void {
  // x·0 is 0 for finite x and NaN for NaN/±Infinity: one multiply-add per element.
  let acc = 0;
  const n = x.length;
  for (let i = 0; i < n; i++) acc += x[i] * 0;
  if (acc === 0) return;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (!Number.isFinite(v)) {
      throw new HitrankError('E_NAN', `${what} contain ${v} at index ${i}; expected finite numbers.`);
    }
  }
}

/**
 * Throws `E_PARAM` unless `value` is an integer in `[min, max]`.
 *
 * @param value - the option value.
 * @param name - the option name used in the message.
 * @param min - smallest allowed value.
 * @param max - largest allowed value.
 */
export function assertInteger(value: number, name: string, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new HitrankError('E_PARAM', `${name} must be an integer in [${min}, ${max}], got ${value}.`);
  }
}

/**
 * Throws `E_PARAM` unless `value` is a finite number in `[min, max]`.
 *
 * @param value - the option value.
 * @param name - the option name used in the message.
 * @param min - smallest allowed value.
 * @param max - largest allowed value.
 */
export function assertInRange(value: number, name: string, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new HitrankError('E_PARAM', `${name} must be a number in [${min}, ${max}], got ${value}.`);
  }
}
