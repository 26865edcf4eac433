// /status/?s=…: find the pasted or chosen status among the cards of the page (from
// content/_data/statuses.toml) and show it first. Matching ignores spaces and punctuation, and a
// longer string that contains a known status ("备案阶段：报备阶段待管局审核") finds that status;
// the longest known status inside it wins ("备案完成，网站状态：尚未提交" over "备案完成").
const root = document.querySelector('[data-status-tool]');
// The page's own path, written by the template: a script that builds its links from
// location.pathname would, at //status/ (which servers answer), link to the host "status".
const pagePath = root.dataset.pagePath;
const form = root.querySelector('[data-status-form]');
const input = form.elements.s;
const choose = root.querySelector('[data-status-choose]');
const answer = root.querySelector('[data-status-answer]');
const found = root.querySelector('[data-status-found]');
const none = root.querySelector('[data-status-none]');

const normalise = (s) => s.normalize('NFKC').replace(/[\s:：\-—–_,，、。.;；"“”'‘’()（）【】\[\]]/g, '');
const cards = [...root.querySelectorAll('.status-all [data-status]')].map((card) => ({
  card,
  // `also` is a JSON list: a separator could be part of a spelling.
  keys: [card.dataset.status, ...JSON.parse(card.dataset.also || '[]')].filter(Boolean).map(normalise),
}));

function match(text) {
  const n = normalise(text || '');
  if (!n) return null;
  const byId = cards.find((c) => c.card.id === text.trim());
  if (byId) return byId.card;
  const exact = cards.find((c) => c.keys.includes(n));
  if (exact) return exact.card;
  let best = null;
  let bestLen = 0;
  for (const c of cards) {
    for (const k of c.keys) {
      if (n.includes(k) && k.length > bestLen) { best = c.card; bestLen = k.length; }
    }
  }
  if (best) return best;
  if (n.length >= 4) return cards.find((c) => c.keys.some((k) => k.includes(n)))?.card || null;
  return null;
}

function render() {
  const s = new URLSearchParams(location.search).get('s') || '';
  input.value = s;
  if (!s.trim()) { answer.hidden = true; choose.value = ''; return; }
  const card = match(s);
  answer.hidden = false;
  none.hidden = Boolean(card);
  if (!card) { found.replaceChildren(); choose.value = ''; return; }
  const copy = card.cloneNode(true);
  copy.removeAttribute('id');
  copy.dataset.statusMatch = card.id;
  const more = document.createElement('p');
  const link = document.createElement('a');
  link.href = `#${card.id}`;
  link.textContent = '在完整列表里看这一条';
  more.append(link);
  copy.append(more);
  found.replaceChildren(copy);
  choose.value = card.dataset.status;
}

function go(s) {
  history.pushState(null, '', s ? `${pagePath}?s=${encodeURIComponent(s)}` : pagePath);
  render();
}

form.addEventListener('submit', (event) => { event.preventDefault(); go(input.value.trim()); });
choose.addEventListener('change', () => go(choose.value));
addEventListener('popstate', render);
render();
root.dataset.statusReady = 'true';
