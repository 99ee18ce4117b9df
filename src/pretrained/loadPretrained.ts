/**
 * `loadPretrained`: the shipped pretrained models by name.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkPretrainedName, type PretrainedName } from './cards.js';
import { HspCnnRet30 } from './hspCnnRet30.js';
import { PretrainedTagger } from './pretrainedTagger.js';
import { readPretrainedFiles, type LoadPretrainedOptions } from './readPretrained.js';

/** What {@link loadPretrained} returns for each name. */
export interface PretrainedModels {
  /** The released HSP_CNN hit model. */
  'hsp-cnn-ret30': HspCnnRet30;
  /** The JYnet MagnaTagATune tagger. */
  'jynet-mtat': PretrainedTagger;
}

/**
 * Loads a pretrained model shipped with hitrank (see `listPretrained`):
 *
 * - `'hsp-cnn-ret30'` → {@link HspCnnRet30}: the HSP_CNN authors' released
 *   hit-score model (Yu et al., ICASSP 2018; KKBOX retention-30), built with
 *   `buildSimpleCnn` + `buildTagDnn`;
 * - `'jynet-mtat'` → {@link PretrainedTagger}: JYnet (Liu & Yang 2016), 188
 *   MagnaTagATune tags, built with `buildTagger`.
 *
 * Reads `pretrained/<name>/card.json`, `model.json` and `weights.bin` (plus
 * `standardizers.bin` for the tagger) from the package — nothing at import
 * time, nothing before this call, nothing over the network unless `baseUrl`
 * says so — and checks every file's SHA-256 against the model card (whose
 * own hash is compiled into hitrank) before using it. The weights are Apache-2.0
 * (HSP_CNN authors), see `card.license` and `pretrained/NOTICE.md`.
 * Needs a tfjs backend (e.g. `import '@tensorflow/tfjs-backend-wasm'`).
 *
 * @param name - `'hsp-cnn-ret30'` or `'jynet-mtat'`.
 * @param options - {@link LoadPretrainedOptions}: `baseUrl` (the package's
 *   `pretrained/` folder), `fetchBytes` (how files are read).
 * @returns the model; call its `dispose()` when done.
 * @throws HitrankError `E_PARAM` for an unknown name, `E_IO` when a file
 *   cannot be read, `E_CORRUPT_FILE` naming the file and both SHA-256 values
 *   when a file was damaged or changed, `E_VERSION` for files of another format.
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-wasm';
 * import { loadPretrained } from 'hitrank/pretrained';
 * const hit = await loadPretrained('hsp-cnn-ret30');
 * const { logit, ret30 } = await hit.scoreAudio(pcm22k);   // Mid-30 → mel + JYnet tags → score
 * console.log(logit, ret30, hit.card.caveat);
 * // in a bundled web app: loadPretrained('jynet-mtat', { baseUrl: '/static/hitrank-pretrained/' })
 * ```
 */
export async function loadPretrained<N extends PretrainedName>(name: N, options: LoadPretrainedOptions = {}): Promise<PretrainedModels[N]> {
  checkPretrainedName(name);
  const files = await readPretrainedFiles(name, options);
  await tf.ready();
  if (name === 'hsp-cnn-ret30') {
    return HspCnnRet30.fromFiles(files, () => loadPretrained('jynet-mtat', options)) as PretrainedModels[N];
  }
  return PretrainedTagger.fromFiles(files) as PretrainedModels[N];
}
