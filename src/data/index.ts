/**
 * hitrank/data — see DESIGN.md §1 (being built).
 *
 * @module hitrank/data
 */
export {};
