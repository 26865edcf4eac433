// Path A prototype: a query layer in front of Pagefind.
const FILL = ['怎么办','怎么','什么','有哪些','哪些','哪里','吗','呢','啊','呀','吧','的','了','是','我','要','可以','能','请问','一下','如何','为什么','需要','一个','多少','啥','还','会','有','没有','在','和','你们'];
const SYN = [['账号','帐号'],['账户','帐号'],['服务商','接入商'],['忘记','忘了'],['找不回','忘了'],['更换','换'],['子域名','二级域名'],['现场核验','当面核验'],['法人','法定代表人'],['多少天','多久'],['多长时间','多久'],['公司','单位']];
let pf;
async function load() {
  if (!pf) { pf = await import('/pagefind/pagefind.js'); await pf.options({ excerptLength: 30 }); }
  return pf;
}
function normalise(q) {
  q = q.normalize('NFKC').toLowerCase();
  q = q.replace(/(?<![a-z])[0-9ol]{4}(?![a-z])/g, (m) => (/\d/.test(m) ? m.replace(/o/g, '0').replace(/l/g, '1') : m));
  q = q.replace(/(?<=\d) +(?=\d)/g, '');
  for (const [a, b] of SYN) q = q.split(a).join(b);
  return q;
}
function words(q) {
  const seg = new Intl.Segmenter('zh', { granularity: 'word' });
  const out = [];
  for (const { segment, isWordLike } of seg.segment(q)) if (isWordLike && !FILL.includes(segment)) out.push(segment);
  return [...new Set(out)];
}
export async function search(query, { limit = 10 } = {}) {
  const p = await load();
  const q = normalise(query);
  const ws = words(q);
  if (!ws.length) return [];
  const pages = new Map();
  const add = (results, w) => results.forEach((r) => {
    const e = pages.get(r.id) || { r, cover: 0, score: 0 };
    e.cover += w; e.score = Math.max(e.score, r.score); pages.set(r.id, e);
  });
  const full = await p.search(ws.join(' '));
  add(full.results, ws.length);
  if (full.results.length < 5 && ws.length > 1) {
    for (const w of ws.slice(0, 6)) add((await p.search(w)).results, 1);
  }
  const ranked = [...pages.values()].sort((a, b) => b.cover - a.cover || b.score - a.score).slice(0, limit);
  const data = await Promise.all(ranked.map((e) => e.r.data()));
  const out = [];
  for (const d of data) {
    const subs = (d.sub_results || []).map((s) => ({ s, t: ws.filter((w) => s.title.toLowerCase().includes(w)).length, n: s.locations?.length || 0 }));
    subs.sort((a, b) => b.t - a.t || b.n - a.n);
    const top = subs[0];
    if (top && top.s.url.includes('#') && (top.t > 0 || top.n > 0)) out.push({ url: top.s.url, title: `${d.meta.title} › ${top.s.title}`, excerpt: top.s.excerpt });
    else out.push({ url: d.url, title: d.meta.title, excerpt: d.excerpt });
  }
  return out;
}
