// The search page: runs the query from ?q= with Pagefind (Chinese segmentation is in the index) and
// shows each result as a link to the best-matching heading or FAQ entry, with the matches marked.
// An MIIT return code typed alone puts that code's page first.
const params = new URLSearchParams(location.search);
const query = (params.get('q') || '').trim();
const list = document.getElementById('search-results');
const status = document.getElementById('search-status');
const box = document.getElementById('site-search');
if (box) box.value = query;

function codeShortcut(q) {
  const item = document.querySelector(`#code-shortcuts li[data-code="${CSS.escape(q)}"] a`);
  return item ? { url: item.getAttribute('href'), title: item.textContent, excerpt: '' } : null;
}

function best(data) {
  // The sub-result (heading) with the most matches, else the page itself.
  const subs = (data.sub_results || []).filter((s) => s.url !== data.url || s.title !== data.meta.title);
  const top = subs.sort((a, b) => (b.locations?.length || 0) - (a.locations?.length || 0))[0];
  if (top && (top.locations?.length || 0) > 0 && top.url.includes('#')) {
    return { url: top.url, title: `${data.meta.title} › ${top.title}`, excerpt: top.excerpt };
  }
  return { url: data.url, title: data.meta.title, excerpt: data.excerpt };
}

function render(results) {
  list.replaceChildren(...results.map((r) => {
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = r.url;
    a.textContent = r.title;
    li.append(a);
    if (r.excerpt) {
      const p = document.createElement('p');
      p.innerHTML = r.excerpt; // Pagefind's excerpt: escaped page text with <mark> around matches.
      li.append(p);
    }
    return li;
  }));
}

async function run() {
  if (!query) return;
  document.title = `${query} - 搜索`;
  status.textContent = `正在搜索“${query}”…`;
  const pagefind = await import('/pagefind/pagefind.js');
  await pagefind.options({ excerptLength: 40 });
  // A large site is indexed in several bundles (site-builder's search module): merge the others.
  const bundles = await fetch('/pagefind/bundles.json').then((r) => (r.ok ? r.json() : []), () => []);
  for (const path of bundles) await pagefind.mergeIndex(path);
  const search = await pagefind.search(query);
  const data = await Promise.all(search.results.slice(0, 20).map((r) => r.data()));
  let results = data.map(best);
  if (/^\d{4}$/.test(query)) {
    const code = codeShortcut(query);
    if (code) {
      const found = results.find((r) => r.url.replace(/#.*/, '') === code.url);
      results = [found ? { ...found, url: code.url, title: code.title } : code, ...results.filter((r) => r !== found)];
    }
  }
  render(results);
  status.textContent = results.length
    ? `“${query}”找到 ${search.results.length} 个结果。`
    : `没有找到“${query}”。换个说法试试，或浏览常见问题。`;
}

run().catch((e) => { status.textContent = `搜索出错：${e.message}`; });
