/**
 * soundfile-style `start` / `frames` options: checked once, clamped to a
 * signal the same way by every decoder.
 *
 * @module
 */
import { HitrankError } from '../errors.js';
import type { DecodedAudio } from './types.js';

/** A requested range: first frame and frame count (-1: to the end). */
export interface FrameRequest {
  start: number;
  frames: number;
}

/**
 * Checks `start` (integer ≥ 0, default 0) and `frames` (integer ≥ 0, or -1
 * for all, the default).
 *
 * @param start - first frame, or undefined.
 * @param frames - frame count, or undefined.
 * @param who - the function named in the error.
 * @returns the request with defaults filled in.
 * @throws HitrankError `E_PARAM` for anything else.
 * @internal
 */
export function checkFrameRequest(start: number | undefined, frames: number | undefined, who: string): FrameRequest {
  const s = start ?? 0;
  if (!Number.isInteger(s) || s < 0) throw new HitrankError('E_PARAM', `${who}: start must be a frame index (integer ≥ 0), got ${s}.`);
  const f = frames ?? -1;
  if (!Number.isInteger(f) || f < -1) throw new HitrankError('E_PARAM', `${who}: frames must be a frame count (integer ≥ 0) or -1 for all, got ${f}.`);
  return { start: s, frames: f };
}

/**
 * `[from, to)` of a request in a signal of `n` frames: a start past the end
 * gives an empty range, a count past the end stops there.
 *
 * @param r - the request.
 * @param n - frames in the signal.
 * @returns the clamped range.
 * @internal
 */
export function clampFrames(r: FrameRequest, n: number): { from: number; to: number } {
  const from = Math.min(r.start, n);
  return { from, to: r.frames === -1 ? n : Math.min(n, from + r.frames) };
}

/**
 * Frames `r` of decoded audio, copied.
 *
 * @param audio - the whole decode.
 * @param r - the request.
 * @returns the same rate and the clamped range of every channel.
 * @internal
 */
export function sliceFrames(audio: DecodedAudio, r: FrameRequest): DecodedAudio {
  const { from, to } = clampFrames(r, audio.channelData[0]?.length ?? 0);
  return { sampleRate: audio.sampleRate, channelData: audio.channelData.map((ch) => ch.slice(from, to)) };
}
