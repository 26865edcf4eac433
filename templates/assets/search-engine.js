// The search engine in the browser (issue 11), over the index site-builder writes to /assets/search/
// (site-builder/src/search/). A query is made into words exactly as a page was: NFKC, lower case,
// synonyms folded (content/_data/search.toml), Chinese as character pairs, Latin and digits whole;
// the two sides must stay in step. Filler words are left out (unless the query is nothing else), and
// a section need not hold every word (a result holding more of them ranks higher). Only the word files
// and section files a query needs are fetched, each once per page.
const BASE = '/assets/search/';
let meta;
const files = new Map();

function json(path) {
  if (!files.has(path)) {
    files.set(path, fetch(BASE + path).then((r) => {
      if (!r.ok) throw new Error(`${path}: ${r.status}`);
      return r.json();
    }));
  }
  return files.get(path);
}

function loadMeta() {
  meta ||= json('meta.json').then((m) => {
    const rules = [];
    for (const group of m.synonyms) {
      const first = normalise(group[0]);
      for (const w of group) if (w) rules.push([normalise(w), first]);
    }
    rules.sort((a, b) => [...b[0]].length - [...a[0]].length);
    const fillers = m.fillers.map(normalise).sort((a, b) => b.length - a.length);
    return { ...m, rules, fillers };
  });
  return meta;
}

const normalise = (s) => s.normalize('NFKC').toLowerCase();

function fold(text, rules) {
  let out = '';
  for (let i = 0; i < text.length;) {
    const rule = rules.find(([w]) => text.startsWith(w, i));
    if (rule) { out += rule[1]; i += rule[0].length; } else { out += text[i]; i += 1; }
  }
  return out;
}

const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[0-9a-z]+/g;
/** The index words of normalised, folded text (site-builder's terms::words). */
export function words(text) {
  const out = [];
  for (const [run] of text.matchAll(HAN)) {
    if (/^[0-9a-z]/.test(run)) { out.push(run); continue; }
    const c = [...run];
    if (c.length === 1) out.push(run);
    for (let i = 0; i + 1 < c.length; i++) out.push(c[i] + c[i + 1]);
  }
  return out;
}

/** What a customer types, as the engine reads it: typed codes mended (１０４１, 1O41, 10 41). */
function mend(q) {
  return normalise(q)
    .replace(/(?<![a-z])[0-9ol]{4}(?![a-z])/g, (m) => (/[0-9]/.test(m) ? m.replace(/o/g, '0').replace(/l/g, '1') : m))
    .replace(/(?<=\d)\s+(?=\d)/g, '');
}

/** The query's words with their weights: the words outside fillers, or all when that is none. */
export async function queryWords(query) {
  const m = await loadMeta();
  const text = fold(mend(query), m.rules);
  let bare = text;
  for (const f of m.fillers) bare = bare.split(f).join(' ');
  const weights = new Map();
  for (const w of words(bare)) weights.set(w, 1);
  if (!weights.size) for (const w of words(text)) weights.set(w, 1);
  return weights;
}

function hash(word) {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(word)) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
}

/**
 * The best sections for a query: [{ url, title, page, text, score }], best first. `text` is the
 * section's first paragraph as plain text.
 */
export async function search(query, { limit = 10 } = {}) {
  const m = await loadMeta();
  const weights = await queryWords(query);
  if (!weights.size) return [];
  const total = [...weights.values()].reduce((a, b) => a + b, 0);
  const scores = new Map();
  await Promise.all([...weights].map(async ([w, weight]) => {
    const list = (await json(`t/${hash(w) % m.word_files}.json`))[w];
    if (!list) return;
    for (let i = 0, id = 0; i < list.length; i += 2) {
      id += list[i];
      const s = scores.get(id) || { score: 0, hit: 0 };
      s.score += weight * list[i + 1];
      s.hit += weight;
      scores.set(id, s);
    }
  }));
  const ranked = [...scores].map(([id, s]) => [id, s.score * (0.5 + 0.5 * s.hit / total)]).sort((a, b) => b[1] - a[1]).slice(0, limit);
  const per = m.sections_per_file;
  const rows = await Promise.all(ranked.map(([id]) => json(`d/${Math.floor(id / per)}.json`).then((d) => d[id % per])));
  return ranked.map(([, score], i) => {
    const [url, title, page, text] = rows[i];
    return { url, title, page, text, score };
  });
}
