/** The hitrank library version, written into model cards and caches. */
export const VERSION = '0.1.0';
