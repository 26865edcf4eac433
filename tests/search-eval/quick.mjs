// Quick ranking check without Chromium: runs the site's search engine in node over a built site's
// /assets/search/ files (a fetch that reads them). The figures match the browser's; the browser run
// (cargo run -p e2e --bin search-eval) stays the measure of record, bytes included.
// Results are grouped by page as the search page shows them (at most two sections of a page).
// usage: node tests/search-eval/quick.mjs PUBLIC_DIR templates/assets/search-engine.js QUESTIONS.toml [--misses] [--by-kind]
// --by-kind adds top-1 / top-3 for each question kind (figures only: safe on a blind set).
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
const [pub, engineFile, qfile, ...flags] = process.argv.slice(2);
globalThis.fetch = async (p) => {
  const file = path.join(pub, p);
  try { const t = fs.readFileSync(file, 'utf8'); return { ok: true, json: async () => JSON.parse(t) }; }
  catch { return { ok: false, status: 404 }; }
};
const engine = await import(pathToFileURL(path.resolve(engineFile)).href + '?' + Date.now());
const text = fs.readFileSync(qfile, 'utf8');
const qs = [];
for (const m of text.matchAll(/\{ q = "((?:[^"\\]|\\.)*)", a = \[([^\]]*)\](?:, kind = "([a-z]+)")?/g)) {
  qs.push({ q: JSON.parse('"' + m[1] + '"'), a: [...m[2].matchAll(/"([^"]*)"/g)].map((x) => x[1]), kind: m[3] || '-' });
}
let t1 = 0, t3 = 0, mrr = 0, zero = 0; const misses = []; const kinds = new Map();
for (const { q, a, kind } of qs) {
  const r = (await engine.search(q, { limit: 10 })).map((x) => x.url);
  const rank = r.findIndex((u) => a.includes(u)) + 1;
  if (!r.length) zero++;
  if (rank === 1) t1++; if (rank && rank <= 3) t3++; if (rank) mrr += 1 / rank;
  const k = kinds.get(kind) || { n: 0, t1: 0, t3: 0 }; kinds.set(kind, k);
  k.n++; if (rank === 1) k.t1++; if (rank && rank <= 3) k.t3++;
  if (rank !== 1) misses.push(`[${rank || '-'}] ${q}  want ${a[0]}  got ${r.slice(0, 3).join(' ')}`);
}
const n = qs.length;
console.log(`${path.basename(qfile)} n=${n} top1 ${(100 * t1 / n).toFixed(1)}% top3 ${(100 * t3 / n).toFixed(1)}% MRR ${(mrr / n).toFixed(3)} zero ${zero}`);
if (flags.includes('--by-kind')) {
  for (const [kind, k] of kinds) console.log(`  ${kind} (${k.n}): top1 ${(100 * k.t1 / k.n).toFixed(1)}% top3 ${(100 * k.t3 / k.n).toFixed(1)}%`);
}
if (flags.includes('--misses')) console.log(misses.join('\n'));
