/**
 * A real-valued 2-D time–frequency array in librosa's orientation:
 * `shape = [rows, frames]`, row-major, so element `[r, t]` is `data[r * frames + t]`
 * (row = frequency or mel band, column = frame).
 */
export interface Spectrogram {
  /** The values, row-major `[rows × frames]`. */
  data: Float32Array;
  /** `[rows, frames]`: bands (or bins) first, then frames, as librosa returns them. */
  shape: [number, number];
}

/**
 * How `center: true` pads the signal before framing.
 * `'constant'` (zeros) is librosa ≥ 0.9's default; `'reflect'` (mirror without
 * repeating the edge sample, numpy's `reflect`) was the default of librosa ≤ 0.8.
 */
export type PadMode = 'constant' | 'reflect';

/** Window functions accepted by {@link getWindow}. */
export type WindowName = 'hamming' | 'hann' | 'ones';
