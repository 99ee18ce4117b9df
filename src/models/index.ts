/**
 * hitrank/models — see DESIGN.md §1 (being built).
 *
 * @module hitrank/models
 */
export {};
