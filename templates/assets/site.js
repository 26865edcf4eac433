// Enhancements only: every page works without this file.
// A heading's "#" link copies the full address of that section, so support staff can paste it.
document.addEventListener('click', async (event) => {
  const anchor = event.target.closest('a.anchor');
  if (!anchor || !navigator.clipboard) return;
  const url = new URL(anchor.getAttribute('href'), location.href).href;
  try {
    await navigator.clipboard.writeText(url);
    anchor.classList.add('copied');
    setTimeout(() => anchor.classList.remove('copied'), 2000);
  } catch (_) {
    // Clipboard refused: following the link still puts the address in the address bar.
  }
});

// Support staff: every heading and FAQ entry on its own page offers "copy link" and "copy answer"
// (the heading or question, its first paragraph as plain text, and the link), as search results do:
// small text buttons inside the heading, shown on hover and focus (always on touch screens). Not on
// pages that say data-copy-actions="off" (the home page's navigation sections).
function copyButtons(title, text, url) {
  const span = document.createElement('span');
  span.className = 'copy-actions';
  for (const [name, value] of [['复制链接', url], ['复制答案', [title, text, url].filter(Boolean).join('\n')]]) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = name === '复制链接' ? 'copy-link' : 'copy-answer';
    b.textContent = name;
    b.addEventListener('click', async () => {
      try { await navigator.clipboard.writeText(value); b.textContent = '已复制'; } catch (_) { b.textContent = '复制失败'; }
    });
    span.append(b);
  }
  return span;
}
function firstParagraph(el) {
  for (let n = el.nextElementSibling; n && !/^H[1-3]$/.test(n.tagName); n = n.nextElementSibling) {
    const p = n.matches('p:not(.updated):not(.entry-of)') ? n : (n.matches('nav, .updated, .entry-of') ? null : n.querySelector('p'));
    if (p) return p.textContent.replace(/\s+/g, ' ').trim();
  }
  return '';
}
const article = document.querySelector('article[data-search-body]');
if (article && article.dataset.copyActions !== 'off') {
  for (const h of article.querySelectorAll('h2[id], h3[id]')) {
    if (h.closest('[data-search-ignore]') || h.classList.contains('toc-title')) continue;
    const title = [...h.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join('').trim();
    h.append(copyButtons(title, firstParagraph(h), new URL(`#${h.id}`, location.href).href));
  }
  const h1 = article.querySelector('h1');
  if (h1 && article.querySelector('.entry-of')) {
    const body = article.querySelector('.content p');
    h1.append(copyButtons(h1.textContent.trim(), body ? body.textContent.replace(/\s+/g, ' ').trim() : '', location.origin + location.pathname));
  }
}
