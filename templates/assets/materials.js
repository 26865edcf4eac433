// /materials/: the checklist for ?entity=…&type=…&<condition>=1, computed by the Rust code
// (materialsChecklist, through the guide's wasm module, /assets/validator/guide.js) from /assets/data/materials.json,
// with tick boxes and a print view. The form's controls change the same address. Without the
// module the page keeps every table and jumps to the one for the chosen case.
const root = document.querySelector('[data-materials-tool]');
// The page's own path, written by the template: a script that builds its links from
// location.pathname would, at //materials/ (which servers answer), link to the host "materials".
const pagePath = root.dataset.pagePath;
const form = root.querySelector('[data-materials-form]');
const box = root.querySelector('[data-checklist]');
const boxes = [...form.querySelectorAll('input[data-condition]')];

function choicesFromUrl() {
  const p = new URLSearchParams(location.search);
  return {
    given: p.has('entity') || p.has('type'),
    entity: p.get('entity') === 'organisation' ? 'organisation' : 'personal',
    type: p.get('type') || 'first',
    conditions: boxes.map((b) => b.dataset.condition).filter((c) => p.get(c)),
  };
}

function choicesFromForm() {
  return {
    entity: form.elements.entity.value,
    type: form.elements.type.value,
    conditions: boxes.filter((b) => b.checked).map((b) => b.dataset.condition),
  };
}

function urlOf(c) {
  const p = new URLSearchParams({ entity: c.entity, type: c.type });
  for (const k of c.conditions) p.set(k, '1');
  return `${pagePath}?${p}`;
}

function fill(c) {
  form.elements.entity.value = c.entity;
  if ([...form.elements.type.options].some((o) => o.value === c.type)) form.elements.type.value = c.type;
  for (const b of boxes) b.checked = c.conditions.includes(b.dataset.condition);
}

// The provider's settings (site.toml [provider]), for uploads that differ between providers.
const settings = JSON.parse(root.dataset.providerSettings || '{}');

// The same wording as the tables of the page (content/_data/materials.toml [labels]). With the setting
// paper_copies_stated = false only the verification form's count is printed (review 16, P1).
function copiesText(d, labels) {
  const stated = settings.paper_copies_stated === true || d.id === 'verification-form';
  return typeof d.copies === 'number' && stated ? `${d.copies} 份` : labels['copies-unstated'];
}

function uploadText(upload, labels) {
  const u = upload && typeof upload === 'object' ? settings[upload.provider] : upload;
  if (u === true) return labels['upload-yes'];
  if (u === false) return labels['upload-no'];
  return labels['upload-unstated'];
}

function cell(text, cls) {
  const td = document.createElement('td');
  if (cls) td.className = cls;
  if (text instanceof Node) td.append(text); else td.textContent = text;
  return td;
}

function start(mod, data) {
  function render() {
    const c = choicesFromForm();
    const list = mod.materialsChecklist(data, c);
    const typeOption = form.elements.type.selectedOptions[0];
    const who = c.entity === 'organisation' ? '单位' : '个人';
    box.querySelector('[data-checklist-title]').textContent = `${typeOption.textContent}（${who}）要准备的材料`;
    const labels = boxes.filter((b) => b.checked).map((b) => b.parentElement.textContent.trim());
    box.querySelector('[data-checklist-choices]').textContent = labels.length ? `按这些情况列出：${labels.join('；')}。` : '没有勾选其他情况。';
    for (const b of boxes) b.parentElement.classList.toggle('not-relevant', !list.relevant.includes(b.dataset.condition));
    const rows = list.documents.map((d, i) => {
      const tr = document.createElement('tr');
      tr.dataset.document = d.id;
      const tick = document.createElement('input');
      tick.type = 'checkbox';
      tick.id = `tick-${i}`;
      tick.setAttribute('aria-label', `已备好：${d.name}`);
      const name = document.createElement('label');
      name.htmlFor = tick.id;
      name.append(d.name);
      for (const extra of [d.whenLabel && `（${d.whenLabel}）`, d.note].filter(Boolean)) {
        const small = document.createElement('small');
        small.textContent = extra;
        name.append(document.createElement('br'), small);
      }
      tr.append(cell(tick, 'tick'), cell(name), cell(copiesText(d, data.labels)), cell(d.signing), cell(uploadText(d.upload, data.labels)));
      return tr;
    });
    box.querySelector('[data-checklist-rows]').replaceChildren(...rows);
    box.querySelector('.table-wrap').hidden = rows.length === 0;
    box.querySelector('[data-checklist-empty]').hidden = rows.length > 0;
    const guide = typeOption.dataset.guide;
    box.querySelector('[data-checklist-guide]').href = `${guide}#materials`;
    const guideLink = box.querySelector('[data-checklist-guide-link]');
    guideLink.href = guide;
    guideLink.textContent = `办理指南：${typeOption.textContent}`;
    box.querySelector('[data-checklist-url]').textContent = `本清单地址：${location.origin}${pagePath}${location.search}`;
    box.hidden = false;
    root.dataset.checklist = 'shown';
  }

  const initial = choicesFromUrl();
  fill(initial);
  if (initial.given) render();
  const update = (event) => {
    event.preventDefault();
    history.replaceState(null, '', urlOf(choicesFromForm()));
    render();
  };
  form.addEventListener('change', update);
  form.addEventListener('submit', update);
  box.querySelector('[data-print]').addEventListener('click', () => print());
  addEventListener('popstate', () => { fill(choicesFromUrl()); render(); });
  root.dataset.materialsReady = 'true';
}

Promise.all([
  import('/assets/validator/guide.js').then(async (m) => { await m.default(); return m; }),
  fetch('/assets/data/materials.json').then((r) => { if (!r.ok) throw new Error(`materials.json: ${r.status}`); return r.json(); }),
]).then(([mod, data]) => start(mod, data), (e) => {
  // No module: the full tables stay; go to the one asked for.
  root.dataset.materialsReady = 'static';
  console.warn('materials: showing every table', e);
  const c = choicesFromUrl();
  fill(c);
  if (c.given) document.getElementById(`${c.type}-${c.entity}`)?.scrollIntoView();
});
