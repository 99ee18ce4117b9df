/**
 * hitrank/metrics — see DESIGN.md §1 (being built).
 *
 * @module hitrank/metrics
 */
export {};
