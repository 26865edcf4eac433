/* tslint:disable */
/* eslint-disable */

export interface WizardAnswer { question: string; asks: string; text: string; value: string; label: string; }
/** Where the answers lead: the next question, or the result (filing type, guide, materials case). */
export type WizardStep =
| { kind: "question"; id: string; text: string; hint: string | null; answers: { value: string; label: string }[]; path: WizardAnswer[] }
| { kind: "result"; id: string; type: string; title: string; guide: string; entity: string | null; conditions: string[]; path: WizardAnswer[] }
| { kind: "error"; message: string; valid: string[] };
export interface ChecklistRequest { entity: string; type: string; conditions?: string[]; }
export interface ChecklistDocument { id: string; name: string; copies: number | "unstated"; signing: string; upload: boolean | "unstated" | { provider: string }; when: string | null; whenLabel: string | null; note: string | null; }
export interface Checklist { entity: string; type: string; conditions: string[]; relevant: string[]; documents: ChecklistDocument[]; }



/**
 * `materialsChecklist(data, {entity, type, conditions})`: the documents to prepare, in the data's
 * order; `conditions` are the customer's choices (unknown ones are dropped), `relevant` the choices
 * that change anything for this entity and type.
 */
export function materialsChecklist(data: any, request: any): Checklist;

/**
 * `wizardStep(tree, answers)`: the tree as `/assets/data/wizard.json` holds it, the answer values
 * in order (as in `?a=`). Invalid answers give `{kind: "error", message, valid}`.
 */
export function wizardStep(tree: any, answers: string[]): WizardStep;

export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

export interface InitOutput {
    readonly memory: WebAssembly.Memory;
    readonly materialsChecklist: (a: any, b: any) => [number, number, number];
    readonly wizardStep: (a: any, b: number, c: number) => [number, number, number];
    readonly __wbindgen_malloc: (a: number, b: number) => number;
    readonly __wbindgen_realloc: (a: number, b: number, c: number, d: number) => number;
    readonly __wbindgen_free: (a: number, b: number, c: number) => void;
    readonly __wbindgen_exn_store: (a: number) => void;
    readonly __externref_table_alloc: () => number;
    readonly __wbindgen_externrefs: WebAssembly.Table;
    readonly __externref_table_dealloc: (a: number) => void;
    readonly __externref_drop_slice: (a: number, b: number) => void;
    readonly __wbindgen_start: () => void;
}

export type SyncInitInput = BufferSource | WebAssembly.Module;

/**
 * Instantiates the given `module`, which can either be bytes or
 * a precompiled `WebAssembly.Module`.
 *
 * @param {{ module: SyncInitInput }} module - Passing `SyncInitInput` directly is deprecated.
 *
 * @returns {InitOutput}
 */
export function initSync(module: { module: SyncInitInput } | SyncInitInput): InitOutput;

/**
 * If `module_or_path` is {RequestInfo} or {URL}, makes a request and
 * for everything else, calls `WebAssembly.instantiate` directly.
 *
 * @param {{ module_or_path: InitInput | Promise<InitInput> }} module_or_path - Passing `InitInput` directly is deprecated.
 *
 * @returns {Promise<InitOutput>}
 */
export default function __wbg_init (module_or_path?: { module_or_path: InitInput | Promise<InitInput> } | InitInput | Promise<InitInput>): Promise<InitOutput>;
