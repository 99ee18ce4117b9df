/**
 * hitrank/losses — see DESIGN.md §1 (being built).
 *
 * @module hitrank/losses
 */
export {};
