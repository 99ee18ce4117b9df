/**
 * Decoding part of an Ogg Vorbis file exactly: the header pages, then the
 * pages from one that begins a packet (its first packet only primes the
 * window overlap) to the one where the wanted samples end. The decoded
 * samples are placed by the last page's granule position, so they are the
 * whole decode's, bit for bit (tested).
 *
 * @module
 */
import { clampFrames } from './frameRange.js';
import { indexVorbisPages, oggPageChecksumOk, type VorbisPages } from './oggVorbisPages.js';
import type { DecodedAudio } from './types.js';

/** What `@wasm-audio-decoders/ogg-vorbis` returns. */
interface VorbisOutput {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
  errors?: unknown[];
}

interface VorbisSession {
  decode(bytes: Uint8Array): Promise<VorbisOutput | null>;
  free(): void;
}

async function openDecoder(): Promise<VorbisSession | null> {
  try {
    const { OggVorbisDecoder } = await import('@wasm-audio-decoders/ogg-vorbis');
    const d = new OggVorbisDecoder();
    await d.ready;
    return {
      decode: async (bytes) => {
        try {
          return (await d.decodeFile(bytes)) as VorbisOutput;
        } catch {
          return null;
        }
      },
      free: () => d.free(),
    };
  } catch {
    return null;
  }
}

/** The header pages followed by pages `q … r`, as one buffer the decoder reads as a stream. */
function stitch(b: Uint8Array, v: VorbisPages, q: number, r: number): Uint8Array {
  const head = b.subarray(v.offsets[0], v.offsets[v.headerPages]);
  const body = b.subarray(v.offsets[q], v.ends[r]);
  const out = new Uint8Array(head.length + body.length);
  out.set(head);
  out.set(body, head.length);
  return out;
}

function clean(out: VorbisOutput | null, v: VorbisPages): out is VorbisOutput {
  return (
    out !== null &&
    (out.errors?.length ?? 0) === 0 &&
    out.sampleRate === v.sampleRate &&
    Array.isArray(out.channelData) &&
    out.channelData.length === v.channels &&
    Number.isInteger(out.samplesDecoded) &&
    out.channelData.every((ch) => ch instanceof Float32Array && ch.length >= out.samplesDecoded)
  );
}

function pagesIntact(b: Uint8Array, v: VorbisPages, from: number, to: number): boolean {
  for (let k = from; k <= to; k++) if (!oggPageChecksumOk(b, v.offsets[k], v.ends[k])) return false;
  return true;
}

/**
 * The page index of an Ogg Vorbis file whose samples can be found by
 * granule position: one plain stream ({@link indexVorbisPages}), intact
 * header pages, and a standard start — decoding the first audio pages gives
 * exactly as many samples as their granule position says (a stream cut out
 * of a longer one, or with a start offset, does not). `null` otherwise.
 *
 * @param b - the file's bytes.
 * @param start - offset of the first page.
 * @returns the verified index, or `null`.
 * @internal
 */
export async function seekableVorbis(b: Uint8Array, start: number): Promise<VorbisPages | null> {
  const v = indexVorbisPages(b, start);
  if (!v) return null;
  const h = v.headerPages;
  let h1 = h;
  while (h1 < v.offsets.length && v.granules[h1] <= 0) h1++;
  if (h1 >= v.offsets.length - 1 || !pagesIntact(b, v, 0, h1)) return null;
  const session = await openDecoder();
  if (!session) return null;
  try {
    const out = await session.decode(stitch(b, v, h, h1));
    return clean(out, v) && out.samplesDecoded === v.granules[h1] ? v : null;
  } finally {
    session.free();
  }
}

/**
 * The audio pages to decode for samples `from … to − 1`: from the last page
 * that begins with a whole packet and whose granule position is at most
 * `from` (its first packet only primes the window overlap; a page that
 * begins inside a packet would start on a fragment), to the first page whose
 * granule position reaches `to`. `null` when that is the last page: the
 * decoder trims the last page relative to where it started, so the samples
 * could not be placed.
 *
 * @param v - the page index.
 * @param from - first sample wanted.
 * @param to - one past the last sample wanted (> from).
 * @returns the first and last page to decode, or `null`.
 * @internal
 */
export function vorbisPageSpan(v: VorbisPages, from: number, to: number): { q: number; r: number } | null {
  const n = v.offsets.length;
  let q = v.headerPages;
  for (let k = v.headerPages; k < n && v.granules[k] <= from; k++) if (!v.continued[k] && v.granules[k] >= 0) q = k;
  let r = q;
  while (r < n && v.granules[r] < to) r++;
  return r >= n - 1 ? null : { q, r };
}

/**
 * Samples `start … start + frames − 1` of the whole decode of an Ogg Vorbis
 * file, decoding only the pages they depend on; `null` when that cannot be
 * done exactly (see {@link seekableVorbis}; the range reaches the last page,
 * whose samples the decoder trims; a damaged page in the range; anything
 * unexpected from the decoder): the caller decodes the whole file instead.
 *
 * @param b - the file's bytes.
 * @param audioStart - offset of the first page.
 * @param start - first sample wanted.
 * @param frames - samples wanted (−1: to the end).
 * @param known - the index from an earlier {@link seekableVorbis} of the same bytes, if any.
 * @returns the samples, or `null`.
 * @internal
 */
export async function decodeVorbisPart(
  b: Uint8Array,
  audioStart: number,
  start: number,
  frames: number,
  known?: VorbisPages,
): Promise<DecodedAudio | null> {
  const v = known ?? (await seekableVorbis(b, audioStart));
  if (!v) return null;
  const { from, to } = clampFrames({ start, frames }, v.totalSamples);
  if (to <= from) return { sampleRate: v.sampleRate, channelData: Array.from({ length: v.channels }, () => new Float32Array(0)) };
  const span = vorbisPageSpan(v, from, to);
  if (!span || !pagesIntact(b, v, span.q, span.r)) return null;
  const { q, r } = span;
  const session = await openDecoder();
  if (!session) return null;
  let out: VorbisOutput | null;
  try {
    out = await session.decode(stitch(b, v, q, r));
  } finally {
    session.free();
  }
  if (!clean(out, v)) return null;
  const base = v.granules[r] - out.samplesDecoded; // sample number of the first decoded sample
  if (base < 0 || base > from || (q === v.headerPages && base !== 0)) return null;
  const a = from - base;
  return { sampleRate: v.sampleRate, channelData: out.channelData.map((ch) => ch.slice(a, a + (to - from))) };
}
