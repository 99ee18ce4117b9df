/**
 * hitrank/highlight — the paper's HL-30 segment (§2.5): train a music
 * highlighter (Huang et al., ref. [13]) on song-level labels, turn its
 * attention into per-second scores, pick the best 30-s window and cut it;
 * plus Mid-30 in the same shape, so the two are interchangeable.
 *
 * @module hitrank/highlight
 */
export { selectHighlight, type HighlightWindow, type SelectHighlightOptions } from './selectHighlight.js';
export {
  attentionScores,
  attentionScoresFromMel,
  chunkAttention,
  perSecondScores,
  type AttentionScoreOptions,
} from './attentionScores.js';
export {
  extractHighlight,
  extractHighlights,
  midThirty,
  cutSegments,
  type CutSegmentsOptions,
  type ExtractHighlightOptions,
  type Highlight,
} from './extractHighlight.js';
export {
  trainHighlighter,
  type HighlighterEpochLog,
  type HighlighterSong,
  type HighlighterValidation,
  type TrainHighlighterOptions,
  type TrainHighlighterResult,
} from './trainHighlighter.js';
