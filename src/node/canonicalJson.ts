/**
 * Canonical JSON: the identity strings that cache keys and highlighter ids are
 * hashed from.
 *
 * @module
 */

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(o)
        .sort()
        .filter((k) => o[k] !== undefined)
        .map((k) => [k, canonical(o[k])]),
    );
  }
  return v;
}

/**
 * `JSON.stringify` with the keys of every object sorted and `undefined`
 * properties left out, so equal values give equal strings whatever order
 * their keys were set in.
 *
 * @param v - a JSON-able value.
 * @returns its canonical JSON.
 */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(canonical(v));
}
