// beian-checks: the ICP filing form's checks for any page (docs/embedding.md). One module tag
//   <script type="module" src="/vendor/beian-checks/beian-checks.js"
//           data-help-base="https://help.example.com/"></script>
// and data-beian-check="id-number" (or uscc, filing-number, domain, homepage, website-name, mobile,
// email) on the page's own inputs. Everything runs in the page: nothing typed is sent anywhere; the
// only requests are this folder's files (the wasm, then its two tables). The page's markup and
// values are never changed: a message is a new element after its field (or inside the element named
// by data-beian-message), and the field gets aria-invalid and the message's id in aria-describedby.
import init, * as rules from './validator.js';

const KINDS = {
  'id-number': (v) => rules.checkIdNumber(v),
  uscc: (v) => rules.checkUscc(v),
  'filing-number': (v, el) => rules.checkFilingNumber(v, { expect: el.dataset.beianExpect || 'any' }),
  domain: (v) => rules.checkDomain(v),
  homepage: (v, el) => rules.checkHomepage(v, listItems(domainsFor(el))),
  'website-name': (v, el) => rules.checkWebsiteName(v, { subject: el.dataset.beianSubject || 'organisation' }),
  mobile: (v) => rules.checkMobile(v),
  email: (v) => rules.checkEmail(v),
};
const NEEDS_TABLES = new Set(['id-number', 'domain', 'homepage', 'website-name']);
const LIST_FIELDS = /(^|\.)(domains|domain_holders|ips)$/;
const DEBOUNCE_MS = 300;

const script = typeof document === 'undefined' ? null : [...document.querySelectorAll('script[type="module"]')].find((s) => s.src === import.meta.url);
let helpBase = script?.dataset.helpBase || '';
let tables = null;
let started = null;

/** The help centre's address, for the "how to fix" links (default: the script tag's data-help-base). */
export function setHelpBase(url) {
  helpBase = url;
}

/** A finding's help page on the help centre (its `help` is a path such as /codes/1015/). */
export function helpUrl(path) {
  return helpBase ? new URL(path.replace(/^\//, ''), helpBase.endsWith('/') ? helpBase : `${helpBase}/`).href : path;
}

const text = (name) => fetch(new URL(name, import.meta.url)).then((r) => {
  if (!r.ok) throw new Error(`beian-checks: ${name}: HTTP ${r.status}`);
  return r.text();
});

/** Starts the module and fetches its tables; resolves when every check can run. */
export function ready() {
  started ??= init({ module_or_path: new URL('validator_bg.wasm', import.meta.url) }).then(() => {
    tables = Promise.all([text('regions.txt'), text('public-suffixes.txt')]).then(([regions, suffixes]) => rules.loadTables(regions, suffixes));
    return tables;
  });
  return started;
}

function listItems(text) {
  return String(text ?? '').split(/[\n,，、;；]/).map((s) => s.trim()).filter(Boolean);
}

function domainsFor(el) {
  const source = el.dataset.beianDomains;
  if (!source) return '';
  const input = document.querySelector(source);
  return input ? input.value : source;
}

let counter = 0;
const original = new WeakMap();

/** The element a field's messages go in: made once, after the field or inside the page's own
 * container named by data-beian-message (whose own attributes stay as they are). */
function messageFor(el) {
  const state = original.get(el);
  if (!state.box) {
    const box = document.createElement('div');
    box.id = `beian-check-${++counter}`;
    box.className = 'beian-check-message';
    box.setAttribute('aria-live', 'polite');
    const container = el.dataset.beianMessage && document.querySelector(el.dataset.beianMessage);
    if (container) container.append(box);
    else el.insertAdjacentElement('afterend', box);
    state.box = box;
  }
  return state.box;
}

/** Shows findings on a field (an empty list clears it). */
export function show(el, findings) {
  if (!original.has(el)) original.set(el, { invalid: el.getAttribute('aria-invalid'), describedby: el.getAttribute('aria-describedby') });
  const state = original.get(el);
  const box = messageFor(el);
  box.replaceChildren();
  const errors = findings.some((f) => f.severity === 'error');
  box.classList.remove('beian-check-error', 'beian-check-warning');
  if (!findings.length) {
    if (state.invalid === null) el.removeAttribute('aria-invalid');
    else el.setAttribute('aria-invalid', state.invalid);
    return;
  }
  box.classList.add(errors ? 'beian-check-error' : 'beian-check-warning');
  for (const f of findings) {
    const item = document.createElement('p');
    item.className = `beian-check-finding beian-check-${f.severity}`;
    item.append(f.message, ' ');
    const link = document.createElement('a');
    link.className = 'beian-check-help';
    link.href = helpUrl(f.help);
    link.target = '_blank';
    link.rel = 'noopener';
    link.textContent = f.miitCode ? `管局代码 ${f.miitCode}：怎么改` : '怎么改';
    item.append(link);
    box.append(item);
  }
  el.setAttribute('aria-invalid', errors ? 'true' : 'false');
  const ids = (el.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
  if (!ids.includes(box.id)) el.setAttribute('aria-describedby', [...ids, box.id].join(' '));
}

/** Checks one field now: its findings (also shown next to it). */
export async function checkField(el) {
  const kind = el.dataset.beianCheck;
  const check = KINDS[kind];
  if (!check) throw new Error(`beian-checks: unknown data-beian-check="${kind}"`);
  await ready();
  if (NEEDS_TABLES.has(kind)) await tables;
  const value = el.value;
  const findings = value.trim() ? check(value, el).findings.map((f) => ({ ...f, help: helpUrl(f.help) })) : [];
  show(el, findings);
  return findings;
}

function setPath(root, path, value) {
  const steps = path.split('.').flatMap((part) => {
    const [key, ...idx] = part.split('[');
    return [key, ...idx.map((i) => Number(i.replace(']', '')))];
  });
  let node = root;
  steps.forEach((step, i) => {
    if (i === steps.length - 1) node[step] = value;
    else node = node[step] ??= typeof steps[i + 1] === 'number' ? [] : {};
  });
}

/**
 * The whole form, with the cross-field rules: `fields` maps the form's field names (as in the
 * command line's JSON: "subject.name", "websites[0].domains") to the page's selectors. Returns the
 * result with each finding's `help` on the help centre and `element` (the page's field, if mapped);
 * with `show: true` the findings also appear next to their fields.
 */
export async function checkForm(fields, options = {}) {
  await ready();
  await tables;
  const form = {};
  const elements = {};
  for (const [name, selector] of Object.entries(fields)) {
    const el = typeof selector === 'string' ? document.querySelector(selector) : selector;
    if (!el) throw new Error(`beian-checks: no element for ${name} (${selector})`);
    elements[name] = el;
    const value = el.type === 'checkbox' ? el.checked : el.value;
    if (value === '' || value == null) continue;
    setPath(form, name, LIST_FIELDS.test(name) ? listItems(value) : value);
  }
  const result = rules.checkForm(form, { today: options.today, ipRanges: options.ipRanges });
  const owner = (field) => Object.keys(elements).find((n) => field === n || field.startsWith(`${n}[`));
  const findings = result.findings.map((f) => ({ ...f, help: helpUrl(f.help), element: elements[owner(f.field)] ?? null }));
  if (options.show) {
    for (const [name, el] of Object.entries(elements)) show(el, findings.filter((f) => owner(f.field) === name));
  }
  return { ok: result.ok, value: result.value, findings };
}

/** Checks every [data-beian-check] field under `root` as it is typed in (debounced) and left. */
export function attach(root = document) {
  const timers = new WeakMap();
  const field = (e) => (e.target instanceof Element && e.target.matches('[data-beian-check]') ? e.target : null);
  const run = (el) => checkField(el).catch((err) => console.error(err));
  const onInput = (e) => {
    const el = field(e);
    if (!el) return;
    clearTimeout(timers.get(el));
    timers.set(el, setTimeout(() => run(el), DEBOUNCE_MS));
  };
  const onLeave = (e) => {
    const el = field(e);
    if (!el) return;
    clearTimeout(timers.get(el));
    run(el);
  };
  root.addEventListener('input', onInput);
  root.addEventListener('change', onLeave);
  root.addEventListener('focusout', onLeave);
  return () => {
    root.removeEventListener('input', onInput);
    root.removeEventListener('change', onLeave);
    root.removeEventListener('focusout', onLeave);
  };
}

/** The rules themselves, for use without the DOM (see README.md). */
export { rules, init };

// Loaded by a script tag: start at once and check the page's fields; non-module scripts find the
// same functions on window.beianChecks.
if (script) {
  attach();
  ready().then(() => { document.documentElement.dataset.beianChecks = 'ready'; }, (e) => console.error(e));
}
if (typeof window !== 'undefined') window.beianChecks = { checkForm, checkField, ready, show, setHelpBase, helpUrl, attach };
