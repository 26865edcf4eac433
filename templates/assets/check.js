// The self-check page's form: add and remove websites, print. The checks are the validator's
// (field-checks.js, which listens on the whole form, so added websites are checked too).
const form = document.querySelector('form[data-check-form]');
const list = form.querySelector('[data-websites]');
const first = list.querySelector('[data-website]').cloneNode(true);

// websites[0].x / websites-0-x → index i, in every attribute that names a control.
const ATTRS = ['name', 'id', 'for', 'aria-describedby', 'data-fix-for'];
function renumber() {
  list.querySelectorAll('[data-website]').forEach((site, i) => {
    site.querySelector('[data-website-number]').textContent = String(i + 1);
    site.querySelector('[data-remove-website]').hidden = i === 0;
    for (const el of site.querySelectorAll('*')) {
      for (const a of ATTRS) {
        const v = el.getAttribute(a);
        if (v) el.setAttribute(a, v.replace(/websites\[\d+\]/g, `websites[${i}]`).replace(/websites-\d+-/g, `websites-${i}-`));
      }
    }
  });
}

form.querySelector('[data-add-website]').addEventListener('click', () => {
  const site = first.cloneNode(true);
  list.append(site);
  renumber();
  site.querySelector('input, textarea').focus();
});

list.addEventListener('click', (event) => {
  const button = event.target.closest('[data-remove-website]');
  if (!button) return;
  button.closest('[data-website]').remove();
  renumber();
  form.querySelector('[data-add-website]').focus();
});

form.querySelector('[data-print]').addEventListener('click', () => window.print());
for (const el of form.querySelectorAll('[data-add-website], [data-print]')) el.hidden = false;
