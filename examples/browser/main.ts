// hitrank in a browser page: drop a song → Mid-30 → 128-band log-mel drawn on
// a canvas; load a saved SiameseHitModel (model.json + weights, or IndexedDB)
// → its score for the song. Everything but `hitrank/node` and the CLI runs in
// a browser unchanged; this page is the proof you can open.
//
//   npm run example:browser        # builds this file and serves the page on http://127.0.0.1:8787
//
// The bundle (scripts/browser/example.ts) imports hitrank from source, tfjs-core
// with the cpu and wasm backends, and webgl / webgpu when those packages are
// installed. URL parameter `?backend=cpu|wasm|webgl|webgpu` picks the backend.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers'; // gradients and layer registrations the models need
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { OPTIONAL_BACKENDS } from 'hitrank-browser:optional-backends';
import { HitrankError, decodeAudio, logMel, midSegment, resample, toMono, type DecodedAudio, type Spectrogram } from '../../src/index.js';
import { SiameseHitModel } from '../../src/training/index.js';

const SAMPLE_RATE = 22050;

const $ = <T extends HTMLElement>(id: string) => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing from index.html`);
  return el as T;
};
const audioStatus = $<HTMLParagraphElement>('audio-status');
const modelStatus = $<HTMLParagraphElement>('model-status');
const scoreEl = $<HTMLParagraphElement>('score');
const canvas = $<HTMLCanvasElement>('mel');

let mel: Spectrogram | null = null;
let model: SiameseHitModel | null = null;

function show(el: HTMLElement, state: string, text: string): void {
  el.dataset.state = state;
  el.textContent = text;
  el.classList.toggle('error', state === 'error');
}

// ---------------------------------------------------------------- backend

async function chooseBackend(): Promise<void> {
  setWasmPaths('/tfjs-wasm/'); // served as application/wasm by scripts/browser/server.ts
  const select = $<HTMLSelectElement>('backend');
  const names = ['cpu', 'wasm', ...(['webgl', 'webgpu'] as const).filter((b) => OPTIONAL_BACKENDS[b])];
  for (const n of names) select.add(new Option(n, n));
  const wanted = new URLSearchParams(location.search).get('backend');
  const order = wanted ? [wanted] : ['webgl', 'wasm', 'cpu'];
  for (const b of order) {
    if (names.includes(b) && (await tf.setBackend(b)) && tf.getBackend() === b) break;
  }
  select.value = tf.getBackend();
  $('backend-status').textContent = `(running on ${tf.getBackend()})`;
  select.onchange = async () => {
    const ok = (await tf.setBackend(select.value)) && tf.getBackend() === select.value;
    $('backend-status').textContent = ok ? `(running on ${tf.getBackend()})` : `(${select.value} did not start; on ${tf.getBackend()})`;
    select.value = tf.getBackend();
  };
}

// ---------------------------------------------------------------- audio → log-mel

/** hitrank's decoders (WAV, MP3, Ogg Vorbis, FLAC); other formats through Web Audio. */
async function decode(bytes: ArrayBuffer): Promise<DecodedAudio & { via: string }> {
  try {
    return { ...(await decodeAudio(new Uint8Array(bytes))), via: 'hitrank decodeAudio' };
  } catch (e) {
    if (!(e instanceof HitrankError && e.code === 'E_UNSUPPORTED')) throw e;
    // Web Audio resamples to the context's rate with the browser's own filter
    // (not librosa's), so ask for 22050 Hz directly.
    const ctx = new OfflineAudioContext(1, 1, SAMPLE_RATE);
    const buf = await ctx.decodeAudioData(bytes.slice(0));
    const channelData = Array.from({ length: buf.numberOfChannels }, (_, c) => buf.getChannelData(c));
    return { sampleRate: buf.sampleRate, channelData, via: 'Web Audio decodeAudioData' };
  }
}

async function analyse(file: File): Promise<void> {
  show(audioStatus, 'working', `Decoding ${file.name} …`);
  try {
    const t0 = performance.now();
    const audio = await decode(await file.arrayBuffer());
    const mono = audio.channelData.length === 1 ? audio.channelData[0] : toMono(audio.channelData);
    const y = audio.sampleRate === SAMPLE_RATE ? mono : resample(mono, { from: audio.sampleRate, to: SAMPLE_RATE });
    const seg = midSegment(y, { sampleRate: SAMPLE_RATE, seconds: 30 });
    mel = logMel(seg.samples, { sampleRate: SAMPLE_RATE });
    draw(mel);
    const secs = (mono.length / audio.sampleRate).toFixed(1);
    show(
      audioStatus,
      'done',
      `${file.name}: ${secs} s, ${audio.channelData.length} ch, ${audio.sampleRate} Hz (${audio.via})\n` +
        `Mid-30 from ${(seg.start / SAMPLE_RATE).toFixed(1)} s${seg.padded ? ' (zero-padded: shorter than 30 s)' : ''} → ` +
        `log-mel [${mel.shape.join(' × ')}] in ${(performance.now() - t0).toFixed(0)} ms`,
    );
    audioStatus.dataset.shape = mel.shape.join('x');
    await score();
  } catch (e) {
    show(audioStatus, 'error', `Could not analyse ${file.name}: ${(e as Error).message}`);
  }
}

/** A viridis-like colour map (5 stops, linear in between). */
const STOPS = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];
function colour(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(x));
  const f = x - i;
  const a = STOPS[i];
  const b = STOPS[i + 1];
  return [a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]), a[2] + f * (b[2] - a[2])];
}

/** One pixel per (band, frame), low bands at the bottom, dB scaled from max − 80 to max. */
function draw(S: Spectrogram): void {
  const [bands, frames] = S.shape;
  canvas.width = frames;
  canvas.height = bands;
  const g = canvas.getContext('2d');
  if (!g) return;
  let max = -Infinity;
  for (const v of S.data) max = Math.max(max, v);
  const img = g.createImageData(frames, bands);
  for (let m = 0; m < bands; m++) {
    const row = bands - 1 - m;
    for (let t = 0; t < frames; t++) {
      const [r, gg, b] = colour((S.data[m * frames + t] - (max - 80)) / 80);
      const p = (row * frames + t) * 4;
      img.data[p] = r;
      img.data[p + 1] = gg;
      img.data[p + 2] = b;
      img.data[p + 3] = 255;
    }
  }
  g.putImageData(img, 0, 0);
}

// ---------------------------------------------------------------- model → score

async function loadModel(handler: tf.io.IOHandler | string, what: string): Promise<void> {
  show(modelStatus, 'working', `Loading ${what} …`);
  try {
    model?.dispose();
    model = null;
    model = await SiameseHitModel.load(handler);
    if (!model.options.audio) throw new Error('this model has no audio branch (it scores tag vectors), so it cannot score a song from its audio.');
    show(modelStatus, 'loaded', `Loaded ${what}: ${model.parameterCount.toLocaleString()} parameters, w = ${model.options.w}.`);
    await score();
  } catch (e) {
    show(modelStatus, 'error', `Could not load ${what}: ${(e as Error).message}`);
  }
}

async function score(): Promise<void> {
  if (!model || !mel) return;
  try {
    const song = { ids: ['song'], hitScores: Float64Array.of(0), mels: [mel.data], melShape: mel.shape };
    const [s] = await model.predict(song);
    const [hit] = await model.predictHitScores(song);
    scoreEl.dataset.score = String(s);
    scoreEl.textContent = `score ${s.toFixed(4)} · predicted hit score ${hit.toPrecision(3)}`;
  } catch (e) {
    scoreEl.dataset.score = '';
    scoreEl.textContent = '';
    show(modelStatus, 'error', `Could not score the song: ${(e as Error).message}`);
  }
}

// ---------------------------------------------------------------- wiring

const drop = $<HTMLDivElement>('drop');
drop.addEventListener('dragover', (e) => {
  e.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  const f = e.dataTransfer?.files[0];
  if (f) void analyse(f);
});
$<HTMLInputElement>('audio-file').addEventListener('change', (e) => {
  const f = (e.target as HTMLInputElement).files?.[0];
  if (f) void analyse(f);
});
$<HTMLInputElement>('model-files').addEventListener('change', (e) => {
  const files = Array.from((e.target as HTMLInputElement).files ?? []);
  const json = files.find((f) => f.name.endsWith('.json'));
  if (!json) return show(modelStatus, 'error', 'Choose the model.json together with its weight file(s).');
  void loadModel(tf.io.browserFiles([json, ...files.filter((f) => f !== json)]), json.name);
});
$<HTMLButtonElement>('load-idb').addEventListener('click', () => {
  const name = $<HTMLInputElement>('idb-name').value.trim();
  void loadModel(`indexeddb://${name}`, `indexeddb://${name}`);
});

await chooseBackend();
document.body.dataset.ready = 'true';
