// The search engine in the browser, over the index site-builder writes to /assets/search/
// (site-builder/src/search/). A query is made into words exactly as a page was: NFKC, lower case,
// synonyms folded (content/_data/search.toml), Chinese as character pairs, Latin and digits whole;
// the two sides must stay in step, and site-builder/src/search/tokenizer-cases.json holds the cases
// both are tested on (cargo test; node tests/node/tokenizer.mjs). Pairs of filler words are left out (unless the query is nothing
// else), a code weighs double, and a section need not hold every word (a result holding more of
// them ranks higher). A mistyped character is bridged by the skip pairs of headings and titles.
// Only the word files and section files a query needs are fetched, each once per page.
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
    const rules = rulesOf(m.synonyms);
    const fillers = m.fillers.map((f) => [...normalise(f)]).sort((a, b) => b.length - a.length);
    // What customers' own words mean on this site (search.toml's meanings): each rule's words, as a
    // query is read, and the index words it adds.
    const meanings = (m.meanings || []).map(({ when, means }) => ({
      when: when.map((w) => fold(normalise(w), rules)).filter(Boolean),
      adds: words(fold(normalise(means), rules)),
    }));
    const kinds = { tool: new Set(m.kinds?.tool || []), definition: new Set(m.kinds?.definition || []) };
    // Where each page's sections start (they are numbered page by page): a section's page by its number.
    const starts = [];
    let at = 0;
    for (const count of m.pages || []) { starts.push(at); at += count; }
    return { ...m, rules, fillers, meanings, kinds, starts, tops: new Set(starts) };
  });
  return meta;
}

const normalise = (s) => s.normalize('NFKC').toLowerCase();

/** The folding rules of synonym groups: each word to its group's first, longest word first. */
function rulesOf(synonyms) {
  const rules = [];
  for (const group of synonyms) {
    const first = normalise(group[0]);
    for (const w of group) if (w) rules.push([normalise(w), first]);
  }
  return rules.sort((a, b) => [...b[0]].length - [...a[0]].length);
}

/**
 * The index words of any text under these synonym groups, as site-builder makes a page's
 * (terms::normalise, Folder::fold, terms::words): the cases both sides are tested on are
 * site-builder/src/search/tokenizer-cases.json.
 */
export function terms(text, synonyms) {
  return words(fold(normalise(text), rulesOf(synonyms)));
}

/** Synonyms folded until nothing changes, at most FOLD_PASSES times (terms::Folder::fold). */
const FOLD_PASSES = 3;
function fold(text, rules) {
  let out = foldOnce(text, rules);
  for (let pass = 1; pass < FOLD_PASSES; pass++) {
    const again = foldOnce(out, rules);
    if (again === out) break;
    out = again;
  }
  return out;
}

/**
 * fold, as the query's characters, with what each pair weighs: a word folded into a longer one
 * (法人 → 法定代表人, 医院 → 医疗卫生机构) weighs as the word typed, the pairs inside what it became
 * sharing its weight (法人's one pair among 法定代表人's four: 1/4 each), so a short word is not
 * counted four times over because its group's first word is long. Text equal to fold(text, rules).
 */
function foldWeighed(text, rules) {
  // Per code unit, as foldOnce reads: the replacement it was written by (or -1) and its pairs' weight.
  let seg = [...text].flatMap((c) => (c.length > 1 ? [-1, -1] : [-1]));
  let share = seg.map(() => 1);
  let next = 0;
  for (let pass = 0; pass < FOLD_PASSES; pass++) {
    let out = '';
    const outSeg = [];
    const outShare = [];
    for (let i = 0; i < text.length;) {
      const rule = rules.find(([w]) => text.startsWith(w, i));
      if (rule) {
        const [from, to] = [[...rule[0]].length, [...rule[1]].length];
        // a word written by an earlier pass keeps the smaller of the two weights
        const before = seg[i] >= 0 && seg.slice(i, i + rule[0].length).every((x) => x === seg[i]) ? share[i] : 1;
        const w = Math.min(before, to > from ? Math.max(1, from - 1) / (to - 1) : 1);
        const id = next++;
        for (let u = 0; u < rule[1].length; u++) { outSeg.push(id); outShare.push(w); }
        out += rule[1];
        i += rule[0].length;
      } else { out += text[i]; outSeg.push(seg[i]); outShare.push(share[i]); i += 1; }
    }
    const same = out === text;
    text = out; seg = outSeg; share = outShare;
    if (same) break;
  }
  // From code units to characters (a character's first unit speaks for it).
  const chars = [];
  const cSeg = [];
  const cShare = [];
  for (let u = 0; u < text.length;) {
    const c = String.fromCodePoint(text.codePointAt(u));
    chars.push(c); cSeg.push(seg[u]); cShare.push(share[u]);
    u += c.length;
  }
  const pairWeight = (k) => (cSeg[k] >= 0 && cSeg[k] === cSeg[k + 1] ? cShare[k] : 1);
  return { chars, pairWeight };
}

function foldOnce(text, rules) {
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

const isHan = (c) => /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/.test(c);

/** What a word added by the meaning layer weighs against a typed one. */
const MEANING_WEIGHT = +(globalThis.process?.env?.MW || 0.6);

/** A return code among words (错误代码1039) is what the customer is asking about. */
const CODE_WEIGHT = 2;

/**
 * The query's words with their weights. Pairs are made from the whole query, as from a page; a pair
 * of two filler characters (是什, 什么) is left out, a pair with one (要带 in 要带什么) weighs half:
 * cutting fillers out first would join the words around them into pairs no page has (验要).
 */
export async function queryWords(query) {
  const m = await loadMeta();
  const { chars, pairWeight } = foldWeighed(mend(query), m.rules);
  const filler = chars.map(() => false);
  for (let i = 0; i < chars.length;) {
    const f = m.fillers.find((x) => x.length && chars.slice(i, i + x.length).join('') === x.join(''));
    if (f) { f.forEach((_, j) => { filler[i + j] = true; }); i += f.length; } else i += 1;
  }
  const weights = new Map();
  weights.runs = []; // the query's Chinese runs, as characters, for skipsAround
  const add = (w, v) => { if (v > (weights.get(w) || 0)) weights.set(w, v); };
  for (let i = 0; i < chars.length;) {
    let j = i;
    if (isHan(chars[i])) {
      while (j < chars.length && isHan(chars[j])) j += 1;
      weights.runs.push(chars.slice(i, j));
      if (j - i === 1 && !filler[i]) add(chars[i], 1);
      for (let k = i; k + 1 < j; k++) add(chars[k] + chars[k + 1], [0, 0.5, 1][2 - filler[k] - filler[k + 1]] * pairWeight(k));
    } else {
      while (j < chars.length && /[0-9a-z]/.test(chars[j])) j += 1;
      if (j > i) { const w = chars.slice(i, j).join(''); add(w, /^\d{4,}$/.test(w) ? CODE_WEIGHT : 1); }
      else j += 1;
    }
    i = j;
  }
  for (const [w, v] of weights) if (!v) weights.delete(w);
  if (!weights.size) for (const w of words(chars.join(''))) weights.set(w, 1);
  // The meaning layer: a customer's description (网站不做了) adds the words the site uses for it
  // (注销), weighing less than what was typed; counted apart, so a page need not hold them.
  weights.meant = new Set();
  const folded = chars.join('');
  for (const { when, adds } of m.meanings) {
    if (!when.some((w) => folded.includes(w))) continue;
    for (const w of adds) if (!weights.has(w)) { weights.set(w, MEANING_WEIGHT); weights.meant.add(w); }
  }
  return weights;
}

function hash(word) {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(word)) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
}

/** Marks a skip pair (site-builder's terms::skip_pairs). */
const SKIP = '_';

/**
 * For each character of the query whose pairs on both sides are ones no page has (most likely a
 * mistyped character: 结 in 转结入, 按 in 备按密码), the skip pair over it, which the index holds for
 * headings and page titles: 转入 finds 转接入, 备密 finds 备案密码. A single unknown pair is only two
 * words meeting (案一 in 备案一般), so it looks nothing more up. Weighs as the pairs it stands for.
 */
function skipsAround(weights, lists) {
  const out = new Map();
  const unknown = (a, b) => !lists.has(a + b);
  for (const c of weights.runs) {
    for (let k = 1; k + 1 < c.length; k++) {
      const v = Math.max(weights.get(c[k - 1] + c[k]) || 0, weights.get(c[k] + c[k + 1]) || 0);
      if (v && unknown(c[k - 1], c[k]) && unknown(c[k], c[k + 1])) out.set(SKIP + c[k - 1] + c[k + 1], v);
    }
  }
  return out;
}

/**
 * What the query asks for, read from its wording before folding: the meaning of a word (then the
 * glossary may come first; otherwise a guide about the task outranks the glossary's entry for its
 * term), or a tool (a way to check, choose, list or look up: then /check/, /wizard/, /materials/
 * and /status/, marked `data-search-kind="tool"` in their templates, come forward).
 */
const ASKS_MEANING = new RegExp([
  '什么意思|啥意思|是什么|是啥|是个什么|是个啥|指什么|指的是|什么叫|叫什么|啥叫|何谓|含义|定义|解释',
  // which body a name stands for (管局是哪个单位, 接入商指的是哪家公司)
  '哪个部门|什么部门|哪个单位|哪家单位|哪家公司|哪个机构',
  // what a thing is for
  '干什么用|干啥用|做什么用|有什么用|有啥用',
  // two names compared (A和B有什么不同, A跟B是同一个吗); 不一样 alone is often a situation
  // (核验单上的域名和系统里不一样), so it counts only after 有什么 / 有啥 / 哪里
  '区别|一样吗|一回事|同一个吗|是一个吗|差在哪|怎么区分|如何区分|(和|跟|与).{1,12}(有什么|有啥|哪里)(不同|不一样|差别)',
].join('|'));
const ASKS_TOOL = /工具|在线|网页上|自查|自检|检查|校验|检测|验证|测一下|测试|先测|清单|列表|单子|一览|向导|帮我(选|判断|看)|查询|查一下|查查|看不懂/;
/** How much a definition weighs against a task's guide when the query does not ask what a word means. */
const DEFINITION_FACTOR = 0.6;
/** How much a tool weighs more when the query asks for a way to check, choose, list or look up. */
const TOOL_FACTOR = 3;
/** How much a definition the query names whole weighs more when the query asks what a word means. */
const MEANING_FACTOR = 2;
/**
 * How much the share of the query a section's name (heading, page title, the h2 above an h3) holds
 * raises it: a page whose title names the task (注销) outranks one that mentions the words in passing
 * (the glossary's 备案密码 for 怎么注销备案). Its asked-as phrasings count too, less: they say how
 * customers ask, not what the section is called.
 */
const NAME_FACTOR = 3;
const ASKED_FACTOR = 0.5;
/** How much the share of its heading the query names raises a section (管局是什么 → the heading 管局). */
const HEADING_FACTOR = 1;
/** A section none of whose name (heading, page title) or phrasings hold a query word. */
const BODY_ONLY_FACTOR = 0.6;
/**
 * How much the share of the query's words a section holds counts: (0.5 + 0.5 × share) to this power.
 * 2 (against 1) favours the section that holds the whole description over one that holds a word of
 * it many times. This and the factors around it were fitted together by a grid search over the
 * engine's own features on questions.toml and dev-situations.toml (dev 70.6% → 78.1% top-1 with
 * the phrasings of the time), then checked on held-out, held-out-2 and dev-2; the blind set
 * held-out-3 was not used.
 */
const COVERAGE_POWER = 2;
/** Below this share of the query in its heading, a definition gives way (DEFINITION_FACTOR). */
const DEFINITION_SHARE = 0.6;
/** A page's top section, when a section below it has the query in its heading. */
const TOP_GIVES_WAY = 0.7;
/**
 * A section holding this share of the query's words, none in its heading, gives its place to its
 * page's top when the page's title holds TITLE_SHARE of the query (IDF-weighed).
 */
const QUOTES_SHARE = 2 / 3;
const TITLE_SHARE = 0.5;

/** A posting's value (site-builder's index::write): negative for a word of the section's name. */
const NAME_CODES = 64;
/** The code of a word only the asked-as phrasings hold (index::ASKED_CODE): not the name's. */
const ASKED_CODE = NAME_CODES - 1;

/**
 * The best sections for a query: [{ url, title, page, text, score, more }], best first, at most
 * `perPage` of one page (`more`: the numbers of that page's other sections, for `sectionRows`). `text`
 * is the section's first paragraph as plain text. A section's BM25F sum is raised by how much of the query
 * it holds, by how much of the query its name (heading, page title) holds, and by how much of its
 * heading the query names: so 转接入之前 finds 转接入 › 开始之前要准备什么 and 管局是什么 the heading 管局.
 * Shares are weighed by IDF (from the length of a word's list), over the words the index has.
 */
export async function search(query, { limit = 10, perPage = 2 } = {}) {
  const m = await loadMeta();
  const weights = await queryWords(query);
  if (!weights.size) return [];
  const lists = new Map();
  const lookUp = (ws) => Promise.all([...ws].map(async ([w]) => {
    const list = (await json(`t/${hash(w) % m.word_files}.json`))[w];
    if (list) lists.set(w, list);
  }));
  await lookUp(weights);
  const total = [...weights].reduce((a, [w, v]) => a + (weights.meant.has(w) ? 0 : v), 0);
  for (const [w, v] of skipsAround(weights, lists)) if (!weights.has(w)) weights.set(w, v);
  await lookUp([...weights].filter(([w]) => w.startsWith(SKIP) && !lists.has(w)));
  const idf = new Map();
  const scores = new Map();
  for (const [w, weight] of weights) {
    const list = lists.get(w);
    if (!list) continue;
    const df = list.length / 2;
    idf.set(w, weight * Math.log(1 + (m.sections - df + 0.5) / (df + 0.5)));
    for (let i = 0, id = 0; i < list.length; i += 2) {
      id += list[i];
      const v = list[i + 1];
      const s = scores.get(id) || { score: 0, hit: 0, named: 0, asked: 0, heading: 0, headingWords: 0, length: 0 };
      s.score += weight * (v < 0 ? Math.floor(-v / NAME_CODES) : v);
      if (!weights.meant.has(w)) s.hit += weight;
      if (v < 0 && -v % NAME_CODES === ASKED_CODE) {
        s.asked += idf.get(w);
      } else if (v < 0) {
        s.named += idf.get(w);
        const code = -v % NAME_CODES;
        if (code) { s.heading += idf.get(w); s.headingWords += 1; s.length = code; }
      }
      scores.set(id, s);
    }
  }
  const totalIdf = [...idf.values()].reduce((a, b) => a + b, 0) || 1;
  const typed = normalise(query);
  const meaning = ASKS_MEANING.test(typed);
  const tool = ASKS_TOOL.test(typed);
  // The pages that have a section below the top whose heading holds a query word: there the page's
  // top (its title and overview) gives way to the section that answers (变更备案要交哪些资料 → 变更 ›
  // 材料, not 变更's overview).
  const answeredBelow = new Set();
  for (const [id, s] of scores) if (s.heading && !m.tops.has(id)) answeredBelow.add(pageOf(id, m));
  const ranked = [...scores].map(([id, s]) => {
    let score = s.score * (0.5 + 0.5 * s.hit / total) ** COVERAGE_POWER;
    if (s.length) score *= 1 + HEADING_FACTOR * (s.headingWords / s.length) * (s.heading / totalIdf);
    score *= 1 + (NAME_FACTOR * s.named + ASKED_FACTOR * s.asked) / totalIdf;
    // A definition whose heading holds less than half the query (the glossary's 法定代表人 for a
    // question about who may take the photo) gives way to the task's own page, unless the query asks
    // what a word means.
    if (!meaning && m.kinds.definition.has(id) && s.heading < DEFINITION_SHARE * totalIdf) score *= DEFINITION_FACTOR;
    // A definition whose whole heading the query names, when the query asks what a word means
    // (管局是哪个单位 → the glossary's 管局).
    if (meaning && m.kinds.definition.has(id) && s.length && s.headingWords === s.length) score *= MEANING_FACTOR;
    if (tool && m.kinds.tool.has(id) && (s.named || s.asked)) score *= TOOL_FACTOR;
    // A section that holds the query's words only in its body gives way to one whose name holds them;
    // less so when its asked-as phrasings hold them.
    if (!s.named && !s.asked) score *= BODY_ONLY_FACTOR;
    if (m.tops.has(id) && answeredBelow.has(pageOf(id, m))) score *= TOP_GIVES_WAY;
    return [id, score];
  });
  // A section that holds most of the query, none of it in its heading, on a page whose title names
  // half of it, quotes what the page is about (a return code's message, 首页URL中必须包含域名…): the
  // page's top, which names and introduces it, takes its place, and it follows.
  const at = new Map(ranked.map((r, i) => [r[0], i]));
  for (const r of ranked) {
    const s = scores.get(r[0]);
    if (m.tops.has(r[0]) || s.heading || s.hit < QUOTES_SHARE * total) continue;
    const top = m.starts[pageOf(r[0], m)];
    const t = ranked[at.get(top)];
    if (t && t[1] < r[1] && scores.get(top).named >= TITLE_SHARE * totalIdf) [t[1], r[1]] = [r[1], t[1]];
  }
  ranked.sort((a, b) => b[1] - a[1]);
  const shown = grouped(ranked.slice(0, limit * FOLD_REACH), m, { limit, perPage });
  const rows = await sectionRows(shown.map((r) => r.id));
  return shown.map((r, i) => ({ ...rows[i], score: r.score, more: r.more }));
}

/** The number of the page a section belongs to, from where each page's sections start. */
function pageOf(id, m) {
  let lo = 0;
  let hi = m.starts.length - 1;
  if (hi < 0) return id;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (m.starts[mid] <= id) lo = mid; else hi = mid - 1;
  }
  return lo;
}

/** How far down the ranking a page's further sections are folded under it: limit × this. */
const FOLD_REACH = 3;

/**
 * Results grouped by page, as documentation searches show them: at most `perPage` sections of one
 * page stand in the list; the page's other sections (among the first limit × FOLD_REACH) are folded
 * under its last shown one (`more`: their numbers, fetched by `sectionRows` when opened), so one guide
 * cannot fill the first screen. Pages are known from the section numbers (meta.json's `pages`), so
 * only the rows of the `limit` results shown are fetched.
 */
function grouped(ranked, m, { limit, perPage }) {
  const byPage = new Map();
  const out = [];
  for (const [id, score] of ranked) {
    const page = pageOf(id, m);
    const mine = byPage.get(page);
    if (mine && mine.length >= perPage) { mine[mine.length - 1].more.push(id); continue; }
    if (out.length >= limit) continue;
    const item = { id, score, more: [] };
    if (mine) mine.push(item); else byPage.set(page, [item]);
    out.push(item);
  }
  return out;
}

/** The rows of these sections: [{ url, title, page, text }], fetching only their section files. */
export async function sectionRows(ids) {
  const m = await loadMeta();
  const per = m.sections_per_file;
  const rows = await Promise.all(ids.map((id) => json(`d/${Math.floor(id / per)}.json`).then((d) => d[id % per])));
  return rows.map(([url, title, page, text]) => ({ url, title, page, text }));
}
