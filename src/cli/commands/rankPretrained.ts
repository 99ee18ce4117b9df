/**
 * Scoring audio files with a shipped pretrained hit model, for
 * `hitrank rank --pretrained <name> <audio…>`: decode → mono → 22050 Hz →
 * Mid-30 → `hspCnn` mel + JYnet tags → fused logit → retention-30.
 *
 * @module
 */
import { HitrankError } from '../../errors.js';
import { loadAudio } from '../../node/index.js';
import { listPretrained, loadPretrained, pretrainedInfo, type PretrainedName } from '../../pretrained/index.js';

/** One scored file. */
export interface PretrainedRanking {
  /** The file, as given. */
  path: string;
  /** The model's fused logit (higher = predicted hit); the ranking key. */
  score: number;
  /** The score on the target's own scale: predicted retention-30, `10^(−1/score)` (0 when score ≤ 0). */
  hitScore: number;
}

/** Names of the shipped pretrained models that score songs (hit models, not taggers). */
export function pretrainedHitModels(): PretrainedName[] {
  return listPretrained().filter((n) => pretrainedInfo(n).kind === 'hit-model');
}

/**
 * The caveat of a pretrained model's card (what its scores do and do not
 * mean) — print it with the scores. Reads no file.
 *
 * @param name - a pretrained model name.
 * @returns the caveat text.
 * @throws HitrankError `E_PARAM` for an unknown name.
 */
export function pretrainedCaveat(name: string): string {
  return pretrainedInfo(name as PretrainedName).caveat;
}

/**
 * Scores audio files with a pretrained hit model, end to end, and returns
 * them best first (stable for equal scores). Each file is decoded with
 * `loadAudio` (WAV, MP3, FLAC, Ogg; mono, resampled to 22050 Hz), cut to its
 * middle 30 s (Mid-30; shorter files are zero-padded) and scored with
 * `HspCnnRet30.scoreAudio` (its `jynet-mtat` tagger is loaded once). Needs a
 * running tfjs backend.
 *
 * @param files - audio file paths.
 * @param name - the pretrained hit model, `'hsp-cnn-ret30'`.
 * @returns one `{ path, score, hitScore }` per file, highest score first.
 * @throws HitrankError `E_PARAM` for an unknown or non-hit model name,
 *   `E_EMPTY` for no files, and as `loadAudio` (prefixed with the path) for a
 *   file that cannot be read or decoded.
 */
export async function rankWithPretrained(files: string[], name: string): Promise<PretrainedRanking[]> {
  const hitModels = pretrainedHitModels();
  if (!(hitModels as string[]).includes(name)) {
    const known = listPretrained().includes(name as PretrainedName) ? `'${name}' is a ${pretrainedInfo(name as PretrainedName).kind}, not a hit model; ` : `unknown pretrained model '${name}'; `;
    throw new HitrankError('E_PARAM', `${known}use one of: ${hitModels.join(', ')}.`);
  }
  if (!Array.isArray(files) || files.length === 0) throw new HitrankError('E_EMPTY', 'no audio files to rank; pass at least one.');
  const hit = await loadPretrained('hsp-cnn-ret30');
  try {
    const out: PretrainedRanking[] = [];
    for (const path of files) {
      const { channelData, sampleRate } = await loadAudio(path, { mono: true, sampleRate: 22050 });
      const s = await hit.scoreAudio(channelData[0], { sampleRate, segment: 'mid30' });
      out.push({ path, score: s.logit, hitScore: s.ret30 });
    }
    return out.map((r, i) => ({ r, i })).sort((a, b) => b.r.score - a.r.score || a.i - b.i).map(({ r }) => r);
  } finally {
    hit.dispose();
  }
}
