// Only in `site-builder serve`: reloads the page after a successful rebuild.
(() => {
  let seen = null;
  const poll = async () => {
    try {
      const version = await (await fetch('/__livereload', { cache: 'no-store' })).text();
      if (seen !== null && version !== seen) location.reload();
      seen = version;
      // For the tests: the build this page has seen, so they wait on it rather than sleep.
      document.documentElement.dataset.liveReload = version;
    } catch (_) { /* server restarting */ }
    setTimeout(poll, 1000);
  };
  poll();
})();
