/**
 * hitrank/node — Node-only helpers: audio decoding, files, caches.
 *
 * @module hitrank/node
 */
export {};
