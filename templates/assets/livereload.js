// Only in `site-builder serve`: reloads the page as soon as a rebuild is served. The server holds
// each request until the build counter passes the one this page has seen (or 25 s pass), so the
// page learns of a build at once without polling.
(() => {
  let seen = null;
  const wait = async () => {
    try {
      const url = seen === null ? '/__livereload' : `/__livereload?since=${seen}`;
      const version = await (await fetch(url, { cache: 'no-store' })).text();
      if (seen !== null && version !== seen) {
        location.reload();
        return;
      }
      seen = version;
      // For the tests: the build this page has seen, so they wait on it rather than sleep.
      document.documentElement.dataset.liveReload = version;
      setTimeout(wait, 0);
    } catch (_) {
      setTimeout(wait, 1000); // the server is restarting
    }
  };
  wait();
})();
