/** beian-checks: the ICP filing form's checks on any page. See README.md and docs/embedding.md. */
import type { Finding as RuleFinding, Checked, Form } from './validator.js';
export * as rules from './validator.js';
export { default as init } from './validator.js';

/** A finding with its help page on the help centre, and the page's field it belongs to. */
export interface Finding extends RuleFinding {
  /** The help centre's page for it: data-help-base plus the rule's path. */
  help: string;
  /** The page's field (checkForm: when its name was mapped). */
  element?: Element | null;
}

/** The help centre's address for the "how to fix" links (default: the script tag's data-help-base). */
export function setHelpBase(url: string): void;
/** A rule's help path (/codes/1015/) on the help centre. */
export function helpUrl(path: string): string;
/** Starts the module (its wasm, then the two tables); resolves when every check can run. */
export function ready(): Promise<void>;
/** Checks one [data-beian-check] field now and shows its findings next to it. */
export function checkField(el: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement): Promise<Finding[]>;
/** Shows findings on a field (an empty list clears it). */
export function show(el: Element, findings: Finding[]): void;
/**
 * The whole form with the cross-field rules: `fields` maps the form's field names
 * ("subject.name", "websites[0].domains") to the page's selectors or elements.
 */
export function checkForm(
  fields: Record<string, string | Element>,
  options?: { show?: boolean; today?: string; ipRanges?: string[] },
): Promise<{ ok: boolean; value: Form; findings: Finding[] }>;
/** Checks every [data-beian-check] field under `root` as it is typed in and left; returns a detach function. */
export function attach(root?: Document | Element): () => void;
export type { Checked, Form };
