/**
 * The MagnaTagATune tag vocabularies of JYnet (Liu & Yang 2016), as released
 * with HSP_CNN (`data/data.magnatagatune/tag_list.top188.txt` and
 * `tag_list.top50.txt`). Tag names are data, kept verbatim and in the
 * authors' order.
 *
 * @module
 */

/**
 * The 188 MagnaTagATune tags JYnet was trained on, in the order of its
 * output units (HSP_CNN `tag_list.top188.txt`).
 */
export const MTAT_TOP188: readonly string[] = Object.freeze([
  'guitar', 'classical', 'slow', 'techno', 'strings', 'drums', 'electronic', 'rock',
  'fast', 'piano', 'ambient', 'beat', 'violin', 'vocal', 'synth', 'female',
  'indian', 'opera', 'male', 'singing', 'vocals', 'no vocals', 'harpsichord', 'loud',
  'quiet', 'flute', 'woman', 'male vocal', 'no vocal', 'pop', 'soft', 'sitar',
  'solo', 'man', 'classic', 'choir', 'voice', 'new age', 'dance', 'male voice',
  'female vocal', 'beats', 'harp', 'cello', 'no voice', 'weird', 'country', 'female voice',
  'metal', 'choral', 'electro', 'drum', 'male vocals', 'jazz', 'violins', 'eastern',
  'female vocals', 'instrumental', 'bass', 'modern', 'no piano', 'harpsicord', 'string', 'jazzy',
  'baroque', 'foreign', 'orchestra', 'hard rock', 'electric', 'trance', 'folk', 'chorus',
  'chant', 'voices', 'classical guitar', 'spanish', 'heavy', 'upbeat', 'no guitar', 'acoustic',
  'male singer', 'electric guitar', 'electronica', 'oriental', 'funky', 'banjo', 'tribal', 'dark',
  'medieval', 'man singing', 'organ', 'irish', 'blues', 'no singing', 'bells', 'percussion',
  'no drums', 'woman singing', 'noise', 'spacey', 'singer', 'middle eastern', 'female singer', 'chanting',
  'no flute', 'low', 'strange', 'wind', 'calm', 'lute', 'heavy metal', 'different',
  'punk', 'oboe', 'celtic', 'flutes', 'sax', 'talking', 'arabic', 'hard',
  'women', 'mellow', 'funk', 'fast beat', 'house', 'rap', 'not english', 'no violin',
  'fiddle', 'female opera', 'india', 'water', 'guitars', 'chimes', 'no beat', 'male opera',
  'drone', 'trumpet', 'duet', 'birds', 'industrial', 'sad', 'plucking', 'girl',
  'silence', 'men', 'horns', 'repetitive', 'operatic', 'airy', 'world', 'eerie',
  'deep', 'hip hop', 'space', 'keyboard', 'light', 'not classical', 'not opera', 'english',
  'not rock', 'horn', 'clapping', 'acoustic guitar', 'disco', 'no strings', 'orchestral', 'old',
  'soft rock', 'lol', 'echo', 'jungle', 'no singer', 'bongos', 'reggae', 'monks',
  'clarinet', 'scary', 'synthesizer', 'female singing', 'piano solo', 'no voices', 'woodwind', 'happy',
  'viola', 'soprano', 'quick', 'clasical',
]);

/**
 * The 50 MagnaTagATune tags of the hit model's tag branch (Yu et al. 2018
 * §2.4), in the HSP_CNN order (`tag_list.top50.txt`; they are the first 50 of
 * {@link MTAT_TOP188}). Other MTAT-50 lists (musicnn's `MTT_LABELS`, for one)
 * hold the same names in a slightly different order — always map by name.
 */
export const MTAT_TOP50: readonly string[] = Object.freeze(MTAT_TOP188.slice(0, 50));
