/**
 * hitrank/sampling — see DESIGN.md §1 (being built).
 *
 * @module hitrank/sampling
 */
export {};
