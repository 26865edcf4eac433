import { search } from '/assets/search-engine.js';
const query = (new URLSearchParams(location.search).get('q') || '').trim();
const list = document.getElementById('search-results');
const status = document.getElementById('search-status');
async function run() {
  if (!query) return;
  const results = await search(query);
  list.replaceChildren(...results.map((r) => { const li = document.createElement('li'); const a = document.createElement('a'); a.href = r.url; a.textContent = r.title; li.append(a); return li; }));
  status.textContent = results.length ? `找到 ${results.length} 个结果` : '没有找到';
  status.dataset.state = 'done';
}
run().catch((e) => { status.textContent = `搜索出错：${e.message}`; status.dataset.state = 'done'; });
