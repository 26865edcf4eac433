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
