// Loaded by pages with checked fields (and the self-check page): start the validator, then check
// every [data-check] field and form[data-check-form] as it is filled in. Everything runs in this
// tab; nothing typed here is sent or stored.
import init, { attachFieldChecks, loadTables } from './validator.js';

await init();
// The listeners live as long as this handle: keep it for the page's lifetime.
export const fieldChecks = attachFieldChecks();
document.documentElement.dataset.fieldChecks = 'ready';

// The region table and the public suffix list (two fifths of the bytes) come after the module, so
// the first fields are checked without waiting for them; a check that needs them (ID numbers,
// website names, domains, homepages) runs as soon as they are here.
const text = (name) => fetch(new URL(name, import.meta.url)).then((r) => {
  if (!r.ok) throw new Error(`${name}: HTTP ${r.status}`);
  return r.text();
});
Promise.all([text('regions.txt'), text('public-suffixes.txt')]).then(([regions, suffixes]) => {
  loadTables(regions, suffixes);
  document.documentElement.dataset.fieldChecksTables = 'ready';
}, (e) => console.error('validator tables:', e));
