/*
 * Suggestions as you type in the header's search box (every page), offline.
 *
 * The best 8 departments, roles, processes and people by title, name, code or pinyin
 * (full, initials or mixed: kefuzhuguan, kfzg, kefuzg). Data: _static/handbook-search/
 * suggest.js (roles, departments, processes) and people-*.js (people, by the start of their
 * name), loaded on first use; never the full-text index.
 *
 * ARIA combobox with a listbox popup: ↑ ↓ move, Enter opens the chosen page (or, with
 * none chosen, the full results), Esc closes (a second Esc clears), a status line says
 * how many suggestions there are.
 */
"use strict";
(() => {
  const input = document.querySelector("input[data-handbook-suggest]");
  if (!input) return;
  const HS = window.HandbookSearch;
  const list = document.getElementById(input.getAttribute("aria-controls"));
  const status = document.getElementById(input.dataset.handbookStatus || "");
  const MAX = 8;
  const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{2ffff}]/u;
  const KIND_ORDER = { d: 0, r: 1, p: 2, h: 3, v: 4 };
  const norm = (s) => (s || "").normalize("NFKC").toLowerCase();
  const compact = (s) => norm(s).replace(/[\s\-_·.／/]+/g, "");
  const opts = typeof DOCUMENTATION_OPTIONS !== "undefined" ? DOCUMENTATION_OPTIONS : {}; // a global const of Sphinx's
  const root = document.documentElement.dataset.content_root || "";
  const urlOf = (docname, anchor) => {
    let path;
    if (opts.BUILDER === "dirhtml") path = docname === "index" ? "" : `${docname.replace(/\/index$/, "")}/`;
    else path = docname + (opts.FILE_SUFFIX || ".html");
    return root + path + (anchor ? `#${anchor}` : "");
  };

  let data = null;
  let entries = []; // org entries, prepared
  // the vocabulary of work: each word of a group that leads somewhere, with the words it finds
  let terms = [];
  const prepareTerms = (groups) => {
    const out = new Map();
    for (const [present, others] of groups || []) {
      for (const w of [...present, ...others]) {
        if (!out.has(w)) out.set(w, new Set());
        for (const t of present) out.get(w).add(t); // (a word the handbook holds finds itself too)
      }
    }
    return [...out].filter(([, finds]) => finds.size).map(([w, finds], i) => ({ w, finds: [...finds], order: i }));
  };
  // a text's syllables: its own pinyin if given (a reading that depends on the word: 银行 háng),
  // else each character's common reading; Latin words and numbers as they are
  const HAN_OR_WORD = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{2ffff}]|[A-Za-z0-9]+/gu;
  const syllables = (text, pinyin) => (pinyin ? pinyin.split(" ")
    : (text.match(HAN_OR_WORD) || []).map((t) => (HAN.test(t) ? data.readings[t] || t : t.toLowerCase())));
  const prepare = (e, i) => ({
    kind: e[0], title: e[1], low: norm(e[1]), syl: syllables(e[1], e[2]), code: compact(e[3]), codeText: e[3] || "",
    codeParts: (norm(e[3]).match(/[a-z0-9]+/g) || []), docname: data.pages[e[0]] + e[4], context: e[5],
    alt: norm(e[6]), order: i,
  });
  const load = () => HS.load("suggest", `suggest.js?v=${input.dataset.handbookSuggest || ""}`).then((d) => {
    if (!data) { data = d; entries = d.entries.map(prepare); terms = prepareTerms(d.vocab); }
    return d;
  });

  // q (compact Latin) consumed by the syllables from the i-th on, each taken whole or by its start
  const pinyinFrom = (syl, q, i) => {
    const rec = (k, pos) => {
      if (pos === q.length) return true;
      if (k >= syl.length) return false;
      const s = syl[k];
      for (let n = Math.min(s.length, q.length - pos); n >= 1; n--) {
        if (q.startsWith(s.slice(0, n), pos) && rec(k + 1, pos + n)) return true;
      }
      return false;
    };
    return rec(i, 0);
  };
  const pinyinScore = (syl, q) => {
    if (!q || !syl.length || !/^[a-z0-9]+$/.test(q)) return 0;
    if (syl.join("") === q) return 95;
    if (pinyinFrom(syl, q, 0)) return 85;
    for (let i = 1; i < syl.length; i++) if (pinyinFrom(syl, q, i)) return 55;
    return 0;
  };

  const scoreEntry = (e, q, qc) => {
    let s = 0;
    if (e.low === q) s = 100;
    else if (e.low.startsWith(q)) s = 80;
    else if (e.low.includes(q)) s = 60;
    if (e.code && qc) {
      if (e.code === qc) s = Math.max(s, 98);
      else if (e.code.startsWith(qc)) s = Math.max(s, 90);
      else for (let i = 1; i < e.codeParts.length; i++) {
        if (e.codeParts.slice(i).join("").startsWith(qc)) { s = Math.max(s, 70); break; }
      }
    }
    s = Math.max(s, pinyinScore(e.syl, qc));
    if (e.alt && s < 75) {
      if (compact(e.alt).startsWith(qc) || e.alt.startsWith(q)) s = Math.max(s, 75);
      else if (e.alt.split(/[^\p{L}\p{N}]+/u).some((w) => w && w.startsWith(q))) s = Math.max(s, 50);
      else if (e.alt.includes(q)) s = Math.max(s, 45);
    }
    return s;
  };

  // people are in files by the start of their name or pinyin (two letters, or a surname)
  const peopleKey = (q, qc) => (HAN.test(q) ? Array.from(q)[0] : qc.slice(0, 2));
  const loadPeople = (q, qc) => {
    if (!data || !data.peopleDoc) return Promise.resolve([]);
    const key = peopleKey(q, qc);
    if (!HAN.test(q) && key.length < 2) return Promise.resolve([]);
    const n = data.people[key];
    if (n === undefined) return Promise.resolve([]);
    return HS.load(`h${n}`, data.files[n]);
  };
  const scorePerson = (p, q, qc) => {
    const name = norm(p[0]);
    const syl = syllables(p[0], p[1]);
    let s = 0;
    if (name === q) s = 97;
    else if (name.startsWith(q)) s = 78;
    if (/^[a-z]+$/.test(qc)) {
      if (syl.join("") === qc) s = Math.max(s, 90);
      else if (pinyinFrom(syl, qc, 0)) s = Math.max(s, 72);
    }
    return s;
  };

  const suggest = async (raw) => {
    const q = norm(raw).trim();
    const qc = compact(raw);
    if (!q) return [];
    await load();
    const found = [];
    for (const e of entries) {
      const s = scoreEntry(e, q, qc);
      if (s) found.push({ s, kind: e.kind, title: e.title, order: e.order, e });
    }
    if (Array.from(q).length >= 2) {
      for (const t of terms) {
        // below the pages whose title starts so (80): a word of the vocabulary is a search, not a page
        const s = t.w === q ? 79 : t.w.startsWith(q) ? 55 : HAN.test(q) && t.w.includes(q) ? 40 : 0;
        if (s) found.push({ s, kind: "v", title: t.w, order: 2e6 + t.order, t });
      }
    }
    let people = [];
    try { people = await loadPeople(q, qc); } catch (err) { people = []; }
    people.forEach((p, i) => {
      const s = scorePerson(p, q, qc);
      if (s) found.push({ s, kind: "h", title: p[0], order: 1e6 + i, p });
    });
    found.sort((a, b) => b.s - a.s || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]
      || Array.from(a.title).length - Array.from(b.title).length || a.order - b.order);
    return found.slice(0, MAX);
  };

  /* -- the combobox ------------------------------------------------------------------------ */
  let items = [];
  let active = -1;
  let seq = 0;
  const labels = () => (data && data.labels) || {};
  const kindLabel = { r: "role", d: "department", p: "process", h: "person", v: "search_for" };

  const describe = (x) => {
    const L = labels();
    const parts = [L[kindLabel[x.kind]] || ""];
    if (x.t) {
      parts.push(x.t.finds.filter((w) => w !== x.t.w).slice(0, 3).join(L.sep || ", "));
    } else if (x.e) {
      if (x.e.context >= 0 && data.depts[x.e.context]) parts.push(data.depts[x.e.context]);
      if (x.e.codeText) parts.push(x.e.codeText);
    } else if (x.p) {
      const roles = (x.p[3] || []).map((i) => entries[i] && entries[i].title).filter(Boolean);
      if (roles.length) parts.push(roles.join(L.sep || ", "));
    }
    return parts.filter(Boolean).join(" · ");
  };
  const hrefOf = (x) => (x.t ? `${urlOf("search")}?q=${encodeURIComponent(x.t.w)}`
    : x.e ? urlOf(x.e.docname) : urlOf(data.peopleDoc, `person-${x.p[2]}`));

  const setActive = (n) => {
    active = n;
    [...list.children].forEach((li, i) => li.setAttribute("aria-selected", i === n ? "true" : "false"));
    if (n >= 0) {
      input.setAttribute("aria-activedescendant", list.children[n].id);
      list.children[n].scrollIntoView({ block: "nearest" });
    } else input.removeAttribute("aria-activedescendant");
  };
  const open = (yes) => {
    list.hidden = !yes;
    input.setAttribute("aria-expanded", yes ? "true" : "false");
    if (!yes) setActive(-1);
  };
  const say = (text) => { if (status) status.textContent = text; };

  const render = (found) => {
    items = found;
    list.textContent = "";
    found.forEach((x, i) => {
      const li = list.appendChild(document.createElement("li"));
      li.id = `${list.id}-${i}`;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.className = `handbook-suggest-option handbook-suggest-${kindLabel[x.kind]}`;
      const t = li.appendChild(document.createElement("span"));
      t.className = "handbook-suggest-title";
      t.textContent = x.title;
      const d = li.appendChild(document.createElement("span"));
      d.className = "handbook-suggest-meta";
      d.textContent = describe(x);
      li.addEventListener("mousedown", (ev) => ev.preventDefault()); // keep the focus in the box
      li.addEventListener("click", () => { window.location.href = hrefOf(x); });
    });
    active = -1;
    input.removeAttribute("aria-activedescendant");
    open(found.length > 0);
    const L = labels();
    say(found.length ? (L.n_suggestions || "{n}").replace("{n}", found.length) : input.value.trim() ? L.no_suggestions || "" : "");
  };

  const update = async () => {
    const mine = ++seq;
    const t0 = performance.now();
    let found = [];
    try { found = await suggest(input.value); } catch (err) { found = []; }
    if (mine !== seq) return; // a later keystroke won
    render(found);
    HS.suggestTimes = HS.suggestTimes || [];
    HS.suggestTimes.push(performance.now() - t0);
  };

  input.addEventListener("input", update);
  input.addEventListener("focus", () => { load().catch(() => {}); });
  input.addEventListener("keydown", (ev) => {
    if (ev.key === "ArrowDown") {
      ev.preventDefault();
      if (list.hidden && items.length) open(true);
      if (items.length) setActive(active + 1 >= items.length ? 0 : active + 1);
    } else if (ev.key === "ArrowUp") {
      ev.preventDefault();
      if (items.length && !list.hidden) setActive(active <= 0 ? items.length - 1 : active - 1);
    } else if (ev.key === "Enter") {
      if (!list.hidden && active >= 0 && items[active]) {
        ev.preventDefault();
        window.location.href = hrefOf(items[active]);
      } // else: the form is sent, the full results open
    } else if (ev.key === "Escape") {
      if (!list.hidden) { ev.preventDefault(); open(false); } else if (input.value) { input.value = ""; render([]); }
    } else if (ev.key === "Tab") {
      open(false);
    }
  });
  input.addEventListener("blur", () => open(false));
})();
