/* tslint:disable */
/* eslint-disable */
export const memory: WebAssembly.Memory;
export const __wbg_fieldchecks_free: (a: number, b: number) => void;
export const attachFieldChecks: (a: number) => [number, number, number];
export const checkDomain: (a: number, b: number) => [number, number, number];
export const checkFilingNumber: (a: number, b: number, c: any) => [number, number, number];
export const checkForm: (a: any, b: any) => [number, number, number];
export const checkHomepage: (a: number, b: number, c: number, d: number) => [number, number, number];
export const checkIdNumber: (a: number, b: number) => [number, number, number];
export const checkImage: (a: number, b: number, c: any) => [number, number, number];
export const checkUscc: (a: number, b: number) => [number, number, number];
export const checkWebsiteName: (a: number, b: number, c: any) => [number, number, number];
export const loadTables: (a: number, b: number, c: number, d: number) => void;
export const tablesLoaded: () => number;
export const wasm_bindgen__convert__closures________invoke__h5d1dfcb767324cef: (a: number, b: number, c: any) => void;
export const wasm_bindgen__convert__closures_____invoke__h6dab9700d2fad3e5: (a: number, b: number, c: any) => void;
export const wasm_bindgen__convert__closures_____invoke__h343cc8ec3fe27c52: (a: number, b: number) => void;
export const __wbindgen_malloc: (a: number, b: number) => number;
export const __wbindgen_realloc: (a: number, b: number, c: number, d: number) => number;
export const __wbindgen_free: (a: number, b: number, c: number) => void;
export const __wbindgen_exn_store: (a: number) => void;
export const __externref_table_alloc: () => number;
export const __wbindgen_externrefs: WebAssembly.Table;
export const __wbindgen_destroy_closure: (a: number, b: number) => void;
export const __externref_table_dealloc: (a: number) => void;
export const __externref_drop_slice: (a: number, b: number) => void;
export const __wbindgen_start: () => void;
