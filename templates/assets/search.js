// The search page: runs ?q= through the search engine and lists answers, each a link to the heading
// or FAQ entry that answers, with its first paragraph and the copy actions. At most two sections of
// one page stand in the list; the page's others are folded under the second ("同一页还有 N 处"), so
// the first screen offers more than one page. When nothing matches it says so and shows the help
// links (closest topics, the wizard, contact details) from the page.
import { search, queryWords, sectionRows } from '/assets/search-engine.js';
import { label, actions, marked, moreHere } from '/assets/search-ui.js';

const query = (new URLSearchParams(location.search).get('q') || '').trim();
const list = document.getElementById('search-results');
const status = document.getElementById('search-status');
const none = document.getElementById('search-none');
const box = document.getElementById('site-search');
if (box) box.value = query;

async function run() {
  if (!query) return;
  document.title = `${query} - 搜索`;
  status.textContent = `正在搜索“${query}”…`;
  const [found, words] = await Promise.all([search(query, { limit: 10 }), queryWords(query)]);
  // A return code typed alone: that code's own page first (the list is in the page).
  const code = [...words.keys()].length === 1 && /^\d{4}$/.test([...words.keys()][0]) && document.querySelector(`#code-shortcuts li[data-code="${[...words.keys()][0]}"] a`);
  const results = code ? [...found.filter((r) => r.url === code.getAttribute('href')), ...found.filter((r) => r.url !== code.getAttribute('href'))] : found;
  const item = (r) => {
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = r.url;
    a.className = 'result-link';
    a.textContent = label(r);
    const url = new URL(r.url, location.href).href;
    li.append(a, actions(label(r), r.text, url));
    if (r.text) li.append(marked(r.text.length > 120 ? `${r.text.slice(0, 120)}…` : r.text, words.keys()));
    if (r.more?.length) li.append(moreHere(r.more, (ids) => sectionRows(ids), item));
    return li;
  };
  list.replaceChildren(...results.map(item));
  none.hidden = results.length > 0;
  status.textContent = results.length ? `“${query}”找到 ${results.length} 个结果。` : `没有找到“${query}”的答案。`;
  status.dataset.state = 'done';
}

run().catch((e) => {
  status.textContent = `搜索出错：${e.message}`;
  status.dataset.state = 'done';
});
