// The header search box shows the top answers while the customer types (ARIA combobox with a
// listbox popup): each with the first sentence of its answer under the title, the query's words
// marked, and grouped by page as on the search page (at most two sections of a page; "同一页还有 N 处"
// says how many more the search page folds under it). It waits for the end of IME composition, so half-typed pinyin is never searched;
// ↑/↓ move through the answers, Enter opens the chosen one or, with none chosen, /search/?q=…
// (the form's own submit), Escape closes the list. The engine loads on first focus, not before.
const input = document.getElementById('site-search');
const form = input?.closest('form');
if (input && form) {
  const popup = document.createElement('ul');
  popup.id = 'site-search-answers';
  popup.className = 'search-popup';
  popup.setAttribute('role', 'listbox');
  popup.setAttribute('aria-label', '搜索建议');
  popup.hidden = true;
  form.append(popup);
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-expanded', 'false');
  input.setAttribute('aria-controls', popup.id);

  let engine;
  let composing = false;
  let active = -1;
  let latest = 0;
  const load = () => (engine ||= Promise.all([import('/assets/search-engine.js'), import('/assets/search-ui.js')]));

  const options = () => [...popup.querySelectorAll('[role=option]')];
  function choose(i) {
    const all = options();
    active = i === null || !all.length ? -1 : (i + all.length) % all.length;
    all.forEach((o, j) => o.setAttribute('aria-selected', String(j === active)));
    if (active >= 0) input.setAttribute('aria-activedescendant', all[active].id);
    else input.removeAttribute('aria-activedescendant');
  }
  function close() {
    popup.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    choose(null);
  }

  async function update() {
    const q = input.value.trim();
    const ticket = ++latest;
    if (!q) return close();
    const [{ search, queryWords }, { label, marked, firstSentence }] = await load();
    const [results, words] = await Promise.all([search(q, { limit: 5 }), queryWords(q)]);
    if (ticket !== latest || composing) return; // a later keystroke has its own search
    popup.replaceChildren(...results.map((r, i) => {
      const li = document.createElement('li');
      li.id = `site-search-answer-${i}`;
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', 'false');
      const a = document.createElement('a');
      a.href = r.url;
      a.tabIndex = -1;
      a.textContent = label(r);
      li.append(a);
      const answer = firstSentence(r.text);
      if (answer) {
        const line = marked(answer, words.keys(), 'span');
        line.className = 'answer-line';
        li.append(line);
      }
      if (r.more.length) {
        const more = document.createElement('span');
        more.className = 'more-here-count';
        more.textContent = `同一页还有 ${r.more.length} 处`;
        li.append(more);
      }
      return li;
    }));
    if (!results.length) {
      const li = document.createElement('li');
      li.className = 'search-popup-none';
      li.textContent = '没有找到，按回车看更多帮助';
      popup.append(li);
    }
    popup.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    popup.dataset.query = q;
    choose(null);
  }

  input.addEventListener('focus', load, { once: true });
  input.addEventListener('compositionstart', () => { composing = true; });
  input.addEventListener('compositionend', () => { composing = false; update(); });
  input.addEventListener('input', (e) => { if (!composing && !e.isComposing) update(); });
  input.addEventListener('keydown', (e) => {
    if (e.isComposing || composing) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (popup.hidden) return;
      e.preventDefault();
      choose(active < 0 && e.key === 'ArrowUp' ? -1 : active + (e.key === 'ArrowDown' ? 1 : -1));
    } else if (e.key === 'Enter' && active >= 0) {
      e.preventDefault();
      location.href = options()[active].querySelector('a').href;
    } else if (e.key === 'Escape') {
      close();
    }
  });
  input.addEventListener('blur', () => setTimeout(() => { if (!form.contains(document.activeElement)) close(); }, 200));
}
