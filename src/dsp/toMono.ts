import { HitrankError } from '../errors.js';

/**
 * Down-mixes channels to mono by averaging them, as `librosa.to_mono`
 * (`np.mean(y, axis=0)`). One channel is returned as a copy.
 *
 * @param channels - one Float32Array per channel, all the same length (like
 *   Web Audio's `AudioBuffer.getChannelData`).
 * @returns the mono signal.
 * @throws HitrankError `E_EMPTY` with no channel, `E_SHAPE` when lengths differ.
 */
export function toMono(channels: ArrayLike<number>[]): Float32Array {
  if (!Array.isArray(channels) || channels.length === 0) {
    throw new HitrankError('E_EMPTY', 'toMono needs at least one channel.');
  }
  const n = channels[0].length;
  for (let c = 1; c < channels.length; c++) {
    if (channels[c].length !== n) {
      throw new HitrankError('E_SHAPE', `channel ${c} has ${channels[c].length} samples, channel 0 has ${n}.`);
    }
  }
  const out = new Float32Array(n);
  if (channels.length === 1) {
    out.set(channels[0]);
    return out;
  }
  const inv = channels.length;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let c = 0; c < channels.length; c++) s += channels[c][i];
    out[i] = s / inv;
  }
  return out;
}
