// The browser engine's tokenizer against the cases site-builder's tests read too (issue 18):
// site-builder/src/search/tokenizer-cases.json. Run: node tests/node/tokenizer.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import assert from 'node:assert/strict';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { terms } = await import(pathToFileURL(path.join(root, 'templates/assets/search-engine.js')).href);
const { synonyms, cases } = JSON.parse(fs.readFileSync(path.join(root, 'site-builder/src/search/tokenizer-cases.json'), 'utf8'));
let failed = 0;
for (const { text, words } of cases) {
  try {
    assert.deepEqual(terms(text, synonyms), words, JSON.stringify(text));
  } catch (e) {
    failed += 1;
    console.error(`FAIL ${JSON.stringify(text)}: got ${JSON.stringify(terms(text, synonyms))}, want ${JSON.stringify(words)}`);
  }
}
console.log(`tokenizer cases: ${cases.length - failed} of ${cases.length} as in site-builder`);
process.exit(failed ? 1 : 0);
