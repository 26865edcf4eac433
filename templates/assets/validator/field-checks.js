// Loaded by pages with checked fields (and the self-check page): start the validator, then check
// every [data-check] field and form[data-check-form] as it is filled in. Everything runs in this
// tab; nothing typed here is sent or stored.
import init, { attachFieldChecks, loadTables } from './validator.js';

await init();
// The listeners live as long as this handle: keep it for the page's lifetime.
export const fieldChecks = attachFieldChecks();
document.documentElement.dataset.fieldChecks = 'ready';

// The region table and the public suffix list (two fifths of the bytes) come after the module, so
// the first fields are checked without waiting for them; a check that needs one (website names
// the regions, domains and homepages the suffixes) runs as soon as it is here, and an ID number,
// answered at once, gets its region code checked then. One
// after the other, the regions first: the form asks for them first, and alone they arrive sooner.
const text = (name) => fetch(new URL(name, import.meta.url)).then((r) => {
  if (!r.ok) throw new Error(`${name}: HTTP ${r.status}`);
  return r.text();
});
text('regions.txt')
  .then((regions) => { loadTables(regions, undefined); return text('public-suffixes.txt'); })
  .then((suffixes) => {
    loadTables(undefined, suffixes);
    document.documentElement.dataset.fieldChecksTables = 'ready';
  })
  .catch((e) => console.error('validator tables:', e));
