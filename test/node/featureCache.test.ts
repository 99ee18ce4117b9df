import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FEATURE_PRESETS } from '../../src/dsp/index.js';
import {
  FEATURE_FILE_HEADER_BYTES,
  decodeFeatureFile,
  encodeFeatureFile,
  featureCacheKey,
  featureCachePath,
  featureSpecJson,
  readCachedFeatures,
  writeCachedFeatures,
  type CachedFeatures,
} from '../../src/node/index.js';

const dir = mkdtempSync(join(tmpdir(), 'hitrank-fcache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const spec = featureSpecJson({ features: FEATURE_PRESETS.paper, segment: { kind: 'mid', seconds: 30 } });
const feats: CachedFeatures = {
  data: Float32Array.from({ length: 4 * 5 }, (_, i) => Math.sin(i) * 10 - 80),
  shape: [4, 5],
  padded: true,
  sourceSeconds: 2.5,
  sourceSamples: 110250,
  sourceSampleRate: 44100,
};

describe('feature cache files', () => {
  it('spec JSON is canonical (key order does not matter) and covers every option', () => {
    const shuffled = Object.fromEntries(Object.entries(FEATURE_PRESETS.paper).reverse()) as typeof FEATURE_PRESETS.paper;
    expect(featureSpecJson({ features: shuffled, segment: { seconds: 30, kind: 'mid' } as const })).toBe(spec);
    expect(featureSpecJson({ features: { ...FEATURE_PRESETS.paper, topDb: null }, segment: { kind: 'mid', seconds: 30 } })).not.toBe(spec);
    expect(featureSpecJson({ features: FEATURE_PRESETS.paper, segment: { kind: 'whole' } })).not.toBe(spec);
  });

  it('keys are content addresses: same bytes + spec → same key; any change → another key', () => {
    const a = new Uint8Array([1, 2, 3]);
    const k = featureCacheKey(a, spec);
    expect(k).toMatch(/^[0-9a-f]{64}$/);
    expect(featureCacheKey(new Uint8Array([1, 2, 3]), spec)).toBe(k);
    expect(featureCacheKey(new Uint8Array([1, 2, 4]), spec)).not.toBe(k);
    expect(featureCacheKey(a, spec.replace('"hamming"', '"hann"'))).not.toBe(k);
    expect(featureCachePath('/c', k)).toBe(join('/c', k.slice(0, 2), `${k}.hrmel`));
  });

  it('encode → decode round-trips exactly, header as documented', () => {
    const bytes = encodeFeatureFile(feats, spec);
    expect(bytes.length).toBe(FEATURE_FILE_HEADER_BYTES + 4 * 20);
    expect(new TextDecoder().decode(bytes.subarray(0, 6))).toBe('HRMEL1');
    const view = new DataView(bytes.buffer);
    expect([view.getUint16(6, true), view.getUint32(8, true), view.getUint32(12, true), view.getUint32(80, true)]).toEqual([2, 4, 5, 1]);
    expect(view.getUint32(84, true)).toBe(44100);
    expect(view.getFloat64(88, true)).toBe(2.5);
    expect(view.getBigUint64(96, true)).toBe(110250n);
    expect(view.getFloat32(FEATURE_FILE_HEADER_BYTES + 4, true)).toBe(feats.data[1]);
    const back = decodeFeatureFile(bytes, spec);
    expect(back).toEqual(feats);
  });

  it('rejects truncated, bit-flipped, foreign-spec and foreign files with the reason', () => {
    const bytes = encodeFeatureFile(feats, spec);
    expect(() => decodeFeatureFile(bytes.subarray(0, bytes.length - 1), spec)).toThrow(/E_CORRUPT_FILE: .*is 183 bytes; its header \[4, 5\] needs 184/);
    const flipped = bytes.slice();
    flipped[FEATURE_FILE_HEADER_BYTES + 7] ^= 1;
    expect(() => decodeFeatureFile(flipped, spec)).toThrow(/fails its payload checksum/);
    expect(() => decodeFeatureFile(bytes, spec.replace('"hamming"', '"hann"'))).toThrow(/made with other feature options/);
    expect(() => decodeFeatureFile(new TextEncoder().encode('RIFF....WAVEfmt '.repeat(8)), spec)).toThrow(/does not start with "HRMEL1"/);
    expect(() => decodeFeatureFile(new Uint8Array(10), spec)).toThrow(/shorter than its 104-byte header/);
    // A layout-1 file (no source sample count) is never read as data.
    const v1 = bytes.slice();
    new DataView(v1.buffer).setUint16(6, 1, true);
    expect(() => decodeFeatureFile(v1, spec)).toThrow(/has layout version 1, expected 2/);
    // A file without a source sample rate (the reserved zeros of layout 1) is rejected too.
    const noRate = bytes.slice();
    new DataView(noRate.buffer).setUint32(84, 0, true);
    expect(() => decodeFeatureFile(noRate, spec)).toThrow(/impossible source length/);
  });

  it('encode refuses features without an exact source length', () => {
    const { sourceSamples: _s, ...noSamples } = feats;
    expect(() => encodeFeatureFile(noSamples as CachedFeatures, spec)).toThrow(/sourceSamples must be a non-negative integer/);
    expect(() => encodeFeatureFile({ ...feats, sourceSamples: 1.5 }, spec)).toThrow(/sourceSamples/);
    expect(() => encodeFeatureFile({ ...feats, sourceSampleRate: 0 }, spec)).toThrow(/sourceSampleRate must be a positive integer/);
  });

  it('read: miss, hit, corrupt (never returned as data); writes leave no temporary files', async () => {
    const key = featureCacheKey(new Uint8Array([9]), spec);
    expect(await readCachedFeatures(dir, key, spec)).toEqual({ status: 'miss' });
    const path = await writeCachedFeatures(dir, key, feats, spec);
    expect(path).toBe(featureCachePath(dir, key));
    expect(readdirSync(join(dir, key.slice(0, 2)))).toEqual([`${key}.hrmel`]);
    const hit = await readCachedFeatures(dir, key, spec);
    expect(hit).toEqual({ status: 'hit', features: feats });
    const raw = readFileSync(path);
    writeFileSync(path, raw.subarray(0, 150));
    const bad = await readCachedFeatures(dir, key, spec);
    expect(bad.status).toBe('corrupt');
    expect((bad as { reason: string }).reason).toMatch(/is 150 bytes/);
    // The spec of every cache file names the layout version, so layout-1 entries live under other keys (misses).
    expect(spec).toContain('"cache":2');
    // Overwriting repairs it.
    await writeCachedFeatures(dir, key, feats, spec);
    expect((await readCachedFeatures(dir, key, spec)).status).toBe('hit');
  });
});

describe('removeStaleTempFiles', () => {
  it('removes temporaries of dead processes only', async () => {
    const { removeStaleTempFiles } = await import('../../src/node/index.js');
    const key = 'ab'.repeat(32);
    const shard = join(dir, 'ab');
    (await import('node:fs')).mkdirSync(shard, { recursive: true });
    const dead = `.${key}.hrmel.999999999.0123456789ab.tmp`;
    const mine = `.${key}.hrmel.${process.pid}.0123456789ab.tmp`;
    writeFileSync(join(shard, dead), 'x');
    writeFileSync(join(shard, mine), 'x');
    expect(await removeStaleTempFiles(dir)).toBe(1);
    expect(readdirSync(shard)).toContain(mine);
    expect(readdirSync(shard)).not.toContain(dead);
    expect(await removeStaleTempFiles(join(dir, 'does-not-exist'))).toBe(0);
  });
});
