// Test-local RIFF assembly: lets tests place chunks anywhere, with any sizes,
// independently of encodeWav (so decodeWav is not only checked against its twin).

/** One RIFF chunk: its id, body, and optionally a size field that lies. */
export interface ChunkSpec {
  id: string;
  body: Uint8Array;
  /** The size written in the header; default body.length. */
  declaredSize?: number;
  /** Write the pad byte after an odd body (default true). */
  pad?: boolean;
}

/** Concatenates a RIFF header and chunks. `riffSize` defaults to the true size. */
export function buildRiff(chunks: ChunkSpec[], opts: { magic?: string; form?: string; riffSize?: number } = {}): Uint8Array {
  const parts: number[] = [];
  const push4 = (s: string): void => {
    for (let i = 0; i < 4; i++) parts.push(s.charCodeAt(i));
  };
  const pushU32 = (v: number): void => {
    parts.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  };
  push4(opts.magic ?? 'RIFF');
  pushU32(0);
  push4(opts.form ?? 'WAVE');
  for (const c of chunks) {
    push4(c.id);
    pushU32(c.declaredSize ?? c.body.length);
    for (const b of c.body) parts.push(b);
    if (c.body.length % 2 === 1 && c.pad !== false) parts.push(0);
  }
  const out = Uint8Array.from(parts);
  const riff = opts.riffSize ?? out.length - 8;
  new DataView(out.buffer).setUint32(4, riff >>> 0, true);
  return out;
}

/** A `fmt ` chunk body: 16 bytes, or 40 for WAVE_FORMAT_EXTENSIBLE (`subFormat` set). */
export function fmtBody(f: {
  tag: number;
  channels: number;
  sampleRate: number;
  bits: number;
  blockAlign?: number;
  subFormat?: number;
  guidTail?: number[];
}): Uint8Array {
  const ext = f.subFormat !== undefined;
  const b = new Uint8Array(ext ? 40 : 16);
  const v = new DataView(b.buffer);
  const align = f.blockAlign ?? (f.channels * f.bits) / 8;
  v.setUint16(0, f.tag, true);
  v.setUint16(2, f.channels, true);
  v.setUint32(4, f.sampleRate, true);
  v.setUint32(8, f.sampleRate * align, true);
  v.setUint16(12, align, true);
  v.setUint16(14, f.bits, true);
  if (ext) {
    v.setUint16(16, 22, true);
    v.setUint16(18, f.bits, true);
    v.setUint32(20, 3, true);
    v.setUint16(24, f.subFormat ?? 1, true);
    const tail = f.guidTail ?? [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];
    tail.forEach((x, i) => (b[26 + i] = x));
  }
  return b;
}

/** Interleaved little-endian 16-bit PCM body from integer samples per channel. */
export function pcm16Body(channels: Int16Array[]): Uint8Array {
  const n = channels[0].length;
  const nc = channels.length;
  const b = new Uint8Array(n * nc * 2);
  const v = new DataView(b.buffer);
  for (let i = 0; i < n; i++) for (let c = 0; c < nc; c++) v.setInt16((i * nc + c) * 2, channels[c][i], true);
  return b;
}

/** ASCII bytes of a string. */
export function ascii(s: string): Uint8Array {
  return Uint8Array.from(s, (ch) => ch.charCodeAt(0));
}
