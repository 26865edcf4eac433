/* tslint:disable */
/* eslint-disable */

/** One thing wrong (or doubtful) with a value. `help` is a site path, e.g. "/codes/1015/". */
export interface Finding {
    field: string;
    rule: string;
    miitCode: number | null;
    severity: "error" | "warning";
    message: string;
    help: string;
}
/** Every check returns this: `ok` is false when any finding is an error; `value` is normalised. */
export interface Checked<T = string> {
    ok: boolean;
    value: T;
    findings: Finding[];
}
export type CertificateType = "id-card" | "passport" | "hk-macao-permit" | "taiwan-permit" | "uscc" | "org-code" | "business-reg-number" | "other";
export interface Person { name?: string; id_type?: CertificateType; id_number?: string; mobile?: string; email?: string; }
export interface Subject {
    type?: "personal" | "organisation"; name?: string; national_level?: boolean; certificate_type?: CertificateType;
    certificate_number?: string; province?: string; certificate_address?: string; mailing_address?: string;
    principal?: Person; filing_number?: string;
}
export interface Website {
    name?: string; domains?: string[]; domain_holders?: string[]; homepage?: string; service_content?: string; principal?: Person;
    access?: { ips?: string[] }; filing_number?: string;
}
/** The filing form, in the library's (and the command line's) JSON shape. */
export interface Form {
    filing_type?: "first" | "new-site" | "new-site-no-subject" | "transfer" | "change" | "cancel";
    subject?: Subject;
    websites?: Website[];
}
/** `today` as YYYY-MM-DD (default: the browser's date); `ipRanges` in CIDR, empty = not checked. */
export interface FormCheckOptions { today?: string; ipRanges?: string[]; }
export interface ImageLimits { minWidth?: number; minHeight?: number; maxKb?: number; }
export interface ImageInfo { format: "png" | "jpeg" | "gif"; width: number; height: number; bytes: number; }



/**
 * The listeners of one page. Dropping it (or calling `free()`) detaches them: keep it.
 */
export class FieldChecks {
    private constructor();
    free(): void;
    [Symbol.dispose](): void;
}

/**
 * Checks every `[data-check]` field and `form[data-check-form]` under `root` (default: the
 * document) as the customer types (debounced) and when a field loses focus. Events are delegated,
 * so fields added later are checked too.
 */
export function attachFieldChecks(root?: Element | null): FieldChecks;

/**
 * A registrable domain.
 */
export function checkDomain(value: string): Checked<string>;

/**
 * An e-mail address.
 */
export function checkEmail(value: string): Checked<string>;

/**
 * An ICP filing number; `options.expect` is "subject", "website" or "any" (default).
 */
export function checkFilingNumber(value: string, options?: { expect?: "subject" | "website" | "any" }): Checked<string>;

/**
 * The whole filing form, with the cross-field rules. The value is the normalised form.
 */
export function checkForm(form: Form, options?: FormCheckOptions): Checked<Form>;

/**
 * The homepage URL against the website's domains (MIIT 1041).
 */
export function checkHomepage(url: string, domains: string[]): Checked<string>;

/**
 * 居民身份证号码 (and residence permits).
 */
export function checkIdNumber(value: string): Checked<string>;

/**
 * A scan's bytes against the upload limits (default: 800×600 pixels, 100 KB).
 */
export function checkImage(bytes: Uint8Array | number[], limits?: ImageLimits): Checked<ImageInfo | null>;

/**
 * 手机号码 (a mainland mobile number).
 */
export function checkMobile(value: string): Checked<string>;

/**
 * 统一社会信用代码.
 */
export function checkUscc(value: string): Checked<string>;

/**
 * A website name; `options.subject` is "personal" or "organisation" (default; "unit" is read too).
 */
export function checkWebsiteName(name: string, options?: { subject?: "personal" | "organisation" | "unit" }): Checked<string>;

/**
 * Gives the tables the module does not compile in — the region table (`regions.txt`) and the
 * public suffix list (`public-suffixes.txt`), fetched from the folder of this module — and re-checks
 * whatever the field checks held back while they were missing. Either may be left out (`undefined`)
 * and given by a later call, so each is used as soon as it arrives; a table given twice keeps the
 * first text.
 */
export function loadTables(regions?: string | null, public_suffixes?: string | null): void;

/**
 * Whether both tables have been given: every check works from then on.
 */
export function tablesLoaded(): boolean;

export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

export interface InitOutput {
    readonly memory: WebAssembly.Memory;
    readonly __wbg_fieldchecks_free: (a: number, b: number) => void;
    readonly attachFieldChecks: (a: number) => [number, number, number];
    readonly checkDomain: (a: number, b: number) => [number, number, number];
    readonly checkEmail: (a: number, b: number) => [number, number, number];
    readonly checkFilingNumber: (a: number, b: number, c: any) => [number, number, number];
    readonly checkForm: (a: any, b: any) => [number, number, number];
    readonly checkHomepage: (a: number, b: number, c: number, d: number) => [number, number, number];
    readonly checkIdNumber: (a: number, b: number) => [number, number, number];
    readonly checkImage: (a: number, b: number, c: any) => [number, number, number];
    readonly checkMobile: (a: number, b: number) => [number, number, number];
    readonly checkUscc: (a: number, b: number) => [number, number, number];
    readonly checkWebsiteName: (a: number, b: number, c: any) => [number, number, number];
    readonly loadTables: (a: number, b: number, c: number, d: number) => void;
    readonly tablesLoaded: () => number;
    readonly wasm_bindgen__convert__closures________invoke__h3d3c2e7b1737aa62: (a: number, b: number, c: any) => void;
    readonly wasm_bindgen__convert__closures_____invoke__ha91afbed5a48e6b2: (a: number, b: number, c: any) => void;
    readonly wasm_bindgen__convert__closures_____invoke__h58fe07fb350df247: (a: number, b: number) => void;
    readonly __wbindgen_malloc: (a: number, b: number) => number;
    readonly __wbindgen_realloc: (a: number, b: number, c: number, d: number) => number;
    readonly __wbindgen_free: (a: number, b: number, c: number) => void;
    readonly __wbindgen_exn_store: (a: number) => void;
    readonly __externref_table_alloc: () => number;
    readonly __wbindgen_externrefs: WebAssembly.Table;
    readonly __wbindgen_destroy_closure: (a: number, b: number) => void;
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
