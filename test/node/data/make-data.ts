// Regenerates the compressed test files in this folder from the seeded
// signals of ../synth.ts (run once by hand: `npx tsx test/node/data/make-data.ts`;
// needs Debian's lame, vorbis-tools and flac). The tests only read the outputs.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeWav } from '../../../src/node/index.js';
import { clips } from '../synth.js';

const here = dirname(fileURLToPath(import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'hitrank-data-'));
function wav(name: string, clip: { sampleRate: number; channelData: Float32Array[] }): string {
  const p = join(tmp, name);
  writeFileSync(p, encodeWav(clip.channelData, clip.sampleRate, { bitDepth: 16 }));
  return p;
}
const run = (cmd: string, args: string[]): void => {
  console.log([cmd, ...args].join(' '));
  execFileSync(cmd, args, { stdio: 'inherit' });
};
try {
  run('lame', ['--quiet', '--noreplaygain', '-b', '128', '--resample', '44.1', '--id3v2-only', '--tt', 'hitrank test tone',
    wav('a.wav', clips.mp3Stereo()), join(here, 'tone-44k-stereo.mp3')]);
  run('lame', ['--quiet', '--noreplaygain', '-b', '64', wav('b.wav', clips.mp3Mono()), join(here, 'tone-22k-mono.mp3')]);
  run('oggenc', ['--quiet', '-q', '2', '--serial', '1', '-o', join(here, 'tone-22k-mono.ogg'), wav('c.wav', clips.oggMono())]);
  // 6-s songs for partial MP3 decoding (extractFeatures' Mid-S): CBR with an ID3v2 tag, VBR,
  // 48 kHz without an Info tag (MPEG-1), and 22.05 kHz (MPEG-2, decoded whole).
  const e = wav('e.wav', clips.mp3SongStereo());
  run('lame', ['--quiet', '--noreplaygain', '-b', '64', '--resample', '44.1', '--id3v2-only', '--tt', 'hitrank test song', e, join(here, 'song-44k-stereo-cbr.mp3')]);
  run('lame', ['--quiet', '--noreplaygain', '-V', '8', '--resample', '44.1', e, join(here, 'song-44k-stereo-vbr.mp3')]);
  run('lame', ['--quiet', '--noreplaygain', '-t', '-b', '48', '--resample', '48', wav('f.wav', clips.mp3Song48()), join(here, 'song-48k-mono-notag.mp3')]);
  run('lame', ['--quiet', '--noreplaygain', '-b', '32', wav('g.wav', clips.mp3Song22()), join(here, 'song-22k-mono-mpeg2.mp3')]);
  // 6-s Ogg Vorbis songs for partial decoding (page by page): stereo 44.1 kHz, mono 48 kHz.
  run('oggenc', ['--quiet', '-q', '2', '--serial', '2', '-o', join(here, 'song-44k-stereo.ogg'), e]);
  run('oggenc', ['--quiet', '-q', '4', '--serial', '3', '-o', join(here, 'song-48k-mono.ogg'), join(tmp, 'f.wav')]);
  // Quality 10: packets over 255 bytes, which the tests split across pages (libvorbis itself never does).
  run('oggenc', ['--quiet', '-q', '10', '--serial', '4', '-o', join(here, 'song-48k-mono-q10.ogg'), join(tmp, 'f.wav')]);
  // 2.5-s FLAC with small blocks (54 frames) for partial decoding.
  run('flac', ['--silent', '--force', '-8', '-b', '1024', '-o', join(here, 'song-22k-stereo.flac'), wav('h.wav', clips.flacSong())]);
  const d = wav('d.wav', clips.flacStereo());
  run('flac', ['--silent', '--force', '-8', '-o', join(here, 'tone-16k-stereo.flac'), d]);
  run('flac', ['--silent', '--force', '-8', '--ogg', '--serial-number=1', '-o', join(here, 'tone-16k-stereo.oga'), d]);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
