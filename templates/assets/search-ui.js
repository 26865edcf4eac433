// Shared by the search page and the header box: a result as a list item with its link, its first
// paragraph, and the two support actions ("copy link", "copy answer": question, first paragraph as
// plain text, and the link, ready to paste into a chat), small text buttons shown on hover and focus
// (always on touch screens: style.css).
export function label(r) {
  return r.page ? `${r.page} › ${r.title}` : r.title;
}

export function answerText(title, text, url) {
  return [title, text, url].filter(Boolean).join('\n');
}

export async function copy(button, value) {
  try {
    await navigator.clipboard.writeText(value);
    button.dataset.copied = 'true';
    button.textContent = '已复制';
  } catch (_) {
    button.textContent = '复制失败';
  }
}

export function actions(title, text, url) {
  const span = document.createElement('span');
  span.className = 'copy-actions';
  for (const [name, value] of [['复制链接', url], ['复制答案', answerText(title, text, url)]]) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = name;
    b.className = name === '复制链接' ? 'copy-link' : 'copy-answer';
    b.addEventListener('click', () => copy(b, value));
    span.append(b);
  }
  return span;
}

/** Marks the query's words (character pairs) in plain text, without innerHTML. */
export function marked(text, words, tag = 'p') {
  const p = document.createElement(tag);
  const wanted = [...words].filter((w) => w.length > 1 || /[0-9a-z]/.test(w));
  let i = 0;
  const lower = text.normalize('NFKC').toLowerCase();
  while (i < text.length) {
    const w = wanted.find((x) => lower.startsWith(x, i));
    if (w) {
      let end = i + w.length;
      while (wanted.some((x) => lower.startsWith(x, end - 1) && x.length > 1)) end += 1;
      const m = document.createElement('mark');
      m.textContent = text.slice(i, end);
      p.append(m);
      i = end;
    } else {
      p.append(text[i]);
      i += 1;
    }
  }
  return p;
}

/** The first sentence of an answer (up to 。！？ or a line's end), at most `max` characters. */
export function firstSentence(text, max = 60) {
  const m = /^.*?[。！？!?；;](?=\s|$|[^”」）)])/u.exec(text || '');
  const s = (m ? m[0] : text || '').trim();
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/**
 * A folded list of a page's other sections: "同一页还有 N 处"; opened, it fetches their rows (`load`,
 * from their numbers) and shows each as `item` does.
 */
export function moreHere(more, load, item) {
  const details = document.createElement('details');
  details.className = 'more-here';
  const summary = document.createElement('summary');
  summary.textContent = `同一页还有 ${more.length} 处`;
  const ul = document.createElement('ul');
  details.append(summary, ul);
  details.addEventListener('toggle', async () => {
    if (!details.open || ul.childElementCount) return;
    ul.append(...(await load(more)).map(item));
  });
  return details;
}
