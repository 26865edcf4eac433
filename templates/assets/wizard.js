// /wizard/: one question at a time. The answers live in the address (?a=open,never,personal) so a
// link opens on the same step; where they lead is decided by the Rust code (wizardStep, through
// the guide's wasm module, /assets/validator/guide.js) from /assets/data/wizard.json. Without the module the page stays
// what it is without JavaScript: every question, linked by anchors.
const root = document.querySelector('[data-wizard]');
// The page's own path, written by the template: a script that builds its links from
// location.pathname would, at //wizard/ (which servers answer), link to the host "wizard".
const pagePath = root.dataset.pagePath;

async function load() {
  const [mod, tree] = await Promise.all([
    import('/assets/validator/guide.js').then(async (m) => { await m.default(); return m; }),
    fetch('/assets/data/wizard.json').then((r) => { if (!r.ok) throw new Error(`wizard.json: ${r.status}`); return r.json(); }),
  ]);
  return { mod, tree };
}

function answersFromUrl() {
  const a = new URLSearchParams(location.search).get('a') || '';
  return a.split(',').map((s) => s.trim()).filter(Boolean);
}

function urlOf(answers) {
  return answers.length ? `${pagePath}?a=${answers.map(encodeURIComponent).join(',')}` : pagePath;
}

function start({ mod, tree }) {
  const nodes = [...root.querySelectorAll('.wizard-node')];
  const pathBox = root.querySelector('[data-wizard-path]');
  const pathList = pathBox.querySelector('ol');
  const errorBox = root.querySelector('[data-wizard-error]');
  let answers = answersFromUrl();

  function render(moveFocus) {
    let step = mod.wizardStep(tree, answers);
    errorBox.hidden = true;
    if (step.kind === 'error') {
      answers = step.valid;
      history.replaceState(null, '', urlOf(answers));
      errorBox.textContent = '链接里有的回答对不上现在的问题，已从能对上的地方接着问。';
      errorBox.hidden = false;
      step = mod.wizardStep(tree, answers);
    }
    const current = step.kind === 'result' ? `r-${step.id}` : `q-${step.id}`;
    for (const n of nodes) n.hidden = n.id !== current;
    root.dataset.step = current;
    root.dataset.kind = step.kind;
    pathList.replaceChildren(...step.path.map((p, i) => {
      const li = document.createElement('li');
      const q = document.createElement('span');
      q.textContent = `${p.text} `;
      const a = document.createElement('strong');
      a.textContent = p.label;
      const back = document.createElement('a');
      back.href = urlOf(answers.slice(0, i));
      back.dataset.wizardGoto = String(i);
      back.textContent = '改这一步';
      li.append(q, a, ' ', back);
      return li;
    }));
    pathBox.hidden = step.path.length === 0;
    if (moveFocus) {
      const h = document.getElementById(current)?.querySelector('h2');
      if (h) { h.tabIndex = -1; h.focus(); }
    }
  }

  root.addEventListener('click', (event) => {
    const answer = event.target.closest('a[data-answer]');
    const goto = event.target.closest('a[data-wizard-goto], a[data-wizard-restart]');
    if (answer && !answer.closest('.wizard-node').hidden) {
      event.preventDefault();
      answers = [...answers, answer.dataset.answer];
    } else if (goto) {
      event.preventDefault();
      answers = goto.dataset.wizardGoto === undefined ? [] : answers.slice(0, Number(goto.dataset.wizardGoto));
    } else {
      return;
    }
    history.pushState(null, '', urlOf(answers));
    render(true);
  });
  addEventListener('popstate', () => { answers = answersFromUrl(); render(true); });
  render(false);
  root.dataset.wizardReady = 'true';
}

load().then(start, (e) => {
  // No module (the site was built without the validator) or no data: keep the linked tree.
  root.dataset.wizardReady = 'static';
  console.warn('wizard: showing the full question list', e);
});
