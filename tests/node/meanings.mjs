// The meaning layer of the browser engine (search.toml's [[meanings]]): a customer's description adds
// the site's words for it, weighing less than what was typed, and replaces nothing.
// Run: node tests/node/meanings.mjs
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import assert from 'node:assert/strict';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const meta = {
  version: 1, sections: 0, word_files: 1, sections_per_file: 8, pages: [], kinds: {},
  synonyms: [['更换', '换'], ['法定代表人', '法人']], fillers: ['了', '怎么办'],
  meanings: [{ when: ['不做了', '关掉'], means: '注销' }, { when: ['换云'], means: '转接入' }],
};
globalThis.fetch = async (p) => (p.endsWith('meta.json') ? { ok: true, json: async () => meta } : { ok: true, json: async () => ({}) });
const { queryWords } = await import(pathToFileURL(path.join(root, 'templates/assets/search-engine.js')).href);

const cancel = await queryWords('网站不做了怎么办');
assert.ok(cancel.has('注销'), JSON.stringify([...cancel]));
assert.ok(cancel.get('注销') < 1, 'a meant word weighs less than a typed one');
assert.equal(cancel.get('网站'), 1, 'what was typed stays');
assert.ok(cancel.meant.has('注销') && !cancel.meant.has('网站'));
// Words of `when` are matched after synonyms are folded: 换云 is written 更换云 in the query.
assert.ok((await queryWords('我们换云了')).has('转接'), 'a trigger folded like the query');
assert.ok(!(await queryWords('怎么注销网站')).meant.size, 'nothing added when no description is typed');
// A word folded into a longer one weighs as the word typed: 法人's one pair shared by 法定代表人's four.
const legal = await queryWords('法人签字');
assert.equal(legal.get('法定'), 0.25, JSON.stringify([...legal]));
assert.equal(legal.get('签字'), 1, 'pairs outside the folded word keep their weight');
assert.equal((await queryWords('法定代表人')).get('法定'), 1, 'the group\'s own word as typed');
console.log('meanings: ok');
