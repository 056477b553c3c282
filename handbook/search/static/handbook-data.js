/*
 * The data files of the handbook's search (_static/handbook-search/): each is a script that
 * calls HandbookSearch.loaded(name, data). HandbookSearch.load(name, file) adds the file's
 * script tag once and returns a promise of its data; wait(name) waits for a file the page
 * loads itself (index.js on the search page). Shared by the search page
 * (handbook-search.js) and the header's suggestions (handbook-suggest.js); loaded before
 * both, on every page.
 */
"use strict";
window.HandbookSearch = window.HandbookSearch || (() => {
  const slots = new Map();
  const slot = (name) => {
    let s = slots.get(name);
    if (!s) {
      s = { started: false };
      s.promise = new Promise((resolve, reject) => { s.resolve = resolve; s.reject = reject; });
      slots.set(name, s);
    }
    return s;
  };
  const base = () => (document.documentElement.dataset.content_root || "") + "_static/handbook-search/";
  return {
    base,
    loaded(name, data) { const s = slot(name); s.started = true; s.resolve(data); },
    // a file the page itself loads (index.js on the search page): wait, do not load it again
    wait(name) { return slot(name).promise; },
    load(name, file) {
      const s = slot(name);
      if (!s.started) {
        s.started = true;
        const el = document.createElement("script");
        el.src = base() + file;
        el.async = true;
        el.onerror = () => s.reject(new Error(`cannot load ${file}`));
        document.head.appendChild(el);
      }
      return s.promise;
    },
  };
})();
