// The TypeScript SHA-256 fallback (for browsers without crypto.subtle) equals
// node:crypto, and sha256Hex (Web Crypto) too.
import { createHash } from 'node:crypto';
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { sha256Hex, sha256HexSync } from '../../src/pretrained/sha256.js';

const node = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('sha256', () => {
  it('FIPS 180-4 test vectors', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(sha256HexSync(enc(''))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256HexSync(enc('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256HexSync(enc('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('equals node:crypto at every padding boundary and on 1 MB, and so does sha256Hex', async () => {
    const rng = seedrandom('sha');
    const big = Uint8Array.from({ length: 1 << 20 }, () => Math.floor(rng() * 256));
    for (const n of [1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000]) {
      const b = big.subarray(7, 7 + n); // an unaligned view
      expect(sha256HexSync(b), `length ${n}`).toBe(node(b));
      expect(await sha256Hex(b)).toBe(node(b));
    }
    expect(sha256HexSync(big)).toBe(node(big));
  });
});
