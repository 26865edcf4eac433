// Only in `site-builder serve`: reloads the page after a successful rebuild.
(() => {
  let seen = null;
  const poll = async () => {
    try {
      const version = await (await fetch('/__livereload', { cache: 'no-store' })).text();
      if (seen !== null && version !== seen) location.reload();
      seen = version;
    } catch (_) { /* server restarting */ }
    setTimeout(poll, 1000);
  };
  poll();
})();
