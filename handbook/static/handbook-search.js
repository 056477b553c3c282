/*
 * Handbook search results: "whose duty is this?"
 *
 * Loaded (deferred) on the search page after Sphinx's searchtools.js. It
 *  - merges the results of one page into one entry and ranks them:
 *    role whose title matches > other page whose title matches > role whose duties
 *    hold query terms (more terms first) > other role pages > pages that only mention
 *    the terms; Sphinx's score orders within a tier;
 *  - shows, for a role, its department and the matching duty as the snippet.
 * Data: window.HANDBOOK_SEARCH = {roles: [[docname, department index], ...],
 *   departments: [name, ...], terms: {term: [role index, ...] or base64 bitmap}}.
 */
"use strict";
(function () {
  if (typeof Search === "undefined") return;
  const data = window.HANDBOOK_SEARCH || { roles: [], departments: [], terms: {}, phrases: {} };
  const roleByDoc = new Map(data.roles.map((r, i) => [r[0], i]));
  // tiers are 2000 apart: Sphinx's own score (< 1000) and the exact-title bonus stay inside
  const TIER = { roleTitle: 8000, title: 6000, duty: 4000, role: 2000, other: 0 };
  const EXACT = 1000;

  // a term's roles: a list of role indexes, or a base64 bitmap for common terms
  const dutyRoles = (term, table = data.terms) => {
    if (!table || !Object.prototype.hasOwnProperty.call(table, term)) return [];
    const v = table[term];
    if (Array.isArray(v)) return v;
    const bytes = atob(v);
    const out = [];
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes.charCodeAt(i);
      for (let bit = 0; bit < 8; bit++) if (b & (1 << bit)) out.push(i * 8 + bit);
    }
    return out;
  };

  const compact = (s) => s.toLowerCase().replace(/\s+/g, "");

  const rerank = (results, query, searchTerms, highlightTerms) => {
    const terms = [...searchTerms];
    const words = [...highlightTerms];
    const q = compact(query);
    // how many query terms each role's duties hold
    const dutyCount = new Map();
    for (const t of terms) for (const i of dutyRoles(t)) dutyCount.set(i, (dutyCount.get(i) || 0) + 1);
    // query words that stand together in one duty ("采购合同" in 订立材料采购合同) count extra
    const ordered = typeof splitQuery === "function" ? splitQuery(query).map((w) => w.toLowerCase()) : [];
    const phraseCount = new Map();
    for (let k = 0; k + 1 < ordered.length; k++) {
      for (const i of dutyRoles(ordered[k] + ordered[k + 1], data.phrases)) {
        phraseCount.set(i, (phraseCount.get(i) || 0) + 1);
      }
    }

    if (!Search._handbookDocIndex) {
      Search._handbookDocIndex = new Map(Search._index.docnames.map((d, i) => [d, i]));
    }
    const best = new Map();
    for (const r of results) {
      const docname = r[0];
      const prev = best.get(docname);
      if (!prev || r[4] > prev[4]) best.set(docname, r);
    }
    const out = [];
    for (const [docname, r] of best) {
      const fileIndex = Search._handbookDocIndex.get(docname);
      const pageTitle = fileIndex !== undefined ? Search._index.titles[fileIndex] : r[1];
      const t = compact(pageTitle || "");
      const titleHit = q && (t.includes(q) || (words.length > 0 && words.every((w) => t.includes(w))));
      const role = roleByDoc.get(docname);
      let tier = TIER.other;
      let extra = 0;
      if (role !== undefined) {
        const duties = dutyCount.get(role) || 0;
        const dept = compact(data.departments[data.roles[role][1]] || "");
        extra = 100 * (duties + words.filter((w) => dept.includes(w)).length) + 300 * (phraseCount.get(role) || 0);
        tier = titleHit ? TIER.roleTitle : duties > 0 ? TIER.duty : TIER.role;
      } else if (titleHit) tier = TIER.title;
      // a page's own entry (no anchor, no description): its snippet comes from the page
      const item = [docname, pageTitle || r[1], "", null, tier + Math.min(extra, 900) + Math.min(r[4], 99),
                    r[5], r[6]];
      if (titleHit && t === q) item[4] += EXACT; // exactly the title asked for
      out.push(item);
    }
    out.sort((a, b) => (a[4] === b[4] ? (a[1] < b[1] ? 1 : a[1] > b[1] ? -1 : 0) : a[4] - b[4]));
    return out; // ascending: Sphinx shows the last one first
  };

  const original = Search._performSearch; // Sphinx >= 7.3
  if (typeof original === "function") {
    Search._performSearch = (query, searchTerms, excludedTerms, highlightTerms, objectTerms) => {
      const results = original(query, searchTerms, excludedTerms, highlightTerms, objectTerms);
      Search._handbookTerms = [...highlightTerms, ...searchTerms];
      return rerank(results, query, searchTerms, highlightTerms);
    };
  }

  // Show the best LIMIT results: Sphinx shows one result every 5 ms and fetches each page for
  // its snippet, so a common word in a 2,000-role handbook would keep the page busy for long.
  const LIMIT = 100;
  if (typeof _displayNextItem === "function" && typeof Search._parseQuery === "function") {
    Search.query = (query) => {
      const [q, searchTerms, excludedTerms, highlightTerms, objectTerms] = Search._parseQuery(query);
      const results = Search._performSearch(q, searchTerms, excludedTerms, highlightTerms, objectTerms);
      if (results.length > LIMIT && Search.output) {
        const note = document.createElement("p");
        note.className = "handbook-search-limit";
        note.textContent = /^zh/i.test(document.documentElement.lang)
          ? `仅显示最相关的 ${LIMIT} 个结果；请输入更多关键词缩小范围。`
          : `Showing the ${LIMIT} best matches; add words to narrow the search.`;
        Search.output.after(note);
      }
      _displayNextItem(results.slice(-LIMIT), results.length, searchTerms, highlightTerms);
    };
  }

  const textOf = (el) => (el ? el.textContent.replace(/¶/g, "").replace(/\s+/g, " ").trim() : "");
  const score = (text, keys) => {
    const low = text.toLowerCase();
    return keys.filter((k) => k && low.includes(k)).length;
  };

  // at most 160 characters, around the first query term
  const excerpt = (text, keys) => {
    if (text.length <= 160) return text;
    const low = text.toLowerCase();
    const at = Math.min(...keys.map((k) => low.indexOf(k)).filter((i) => i >= 0), text.length);
    const start = at < 120 ? 0 : at - 40;
    return (start > 0 ? "…" : "") + text.slice(start, start + 160) + (start + 160 < text.length ? "…" : "");
  };
  const NOISE = ".headerlink, script, style, pre.mermaid, figure.handbook-chart, .handbook-chart";
  // the heading of a section below the page title (the title is the result's link already)
  const heading = (section) => textOf(section && section.querySelector(":scope > h2, :scope > h3"));

  // The best-matching passage of a page, with the heading of its section; on a role page the
  // duties come first and the department is shown in front.
  const pageSummary = (html, keywords) => {
    const doc = new DOMParser().parseFromString(html, "text/html");
    const main = doc.querySelector('[role="main"]');
    if (!main) return null;
    main.querySelectorAll(NOISE).forEach((el) => el.remove());
    const keys = [...new Set([...(Search._handbookTerms || []), ...keywords].map((k) => k.toLowerCase()))];
    const role = main.querySelector("section.handbook-role");
    const dept = role ? textOf(role.querySelector(".handbook-role-header .org-department")) : "";
    const sections = role ? [...role.querySelectorAll(":scope > section")] : [];
    const duties = sections.find((s) => s.id.endsWith(".responsibilities"));
    let hit = null;
    let hitScore = 0;
    const consider = (el) => {
      const text = textOf(el);
      const s = score(text, keys);
      if (s > hitScore) {
        hit = [heading(el.closest("section")), text];
        hitScore = s;
      }
    };
    const leaves = (root) => [...root.querySelectorAll("p, li, td, dd")]
      .filter((el) => !el.querySelector("p, li, td, table"));
    if (duties) {
      duties.querySelectorAll("tbody tr:not(.handbook-group-row)").forEach((tr) => {
        const cells = tr.querySelectorAll("td");
        const text = cells.length > 1 ? cells[1] : tr;
        const s = score(textOf(text), keys);
        if (s > hitScore) { hit = [heading(duties), textOf(text)]; hitScore = s; }
      });
    }
    // a role found by its title and no duty matching: say what the role is for (its purpose)
    const title = role ? textOf(role.querySelector(":scope > h1")).toLowerCase() : "";
    const titleHit = role && keys.length > 0 && keys.every((k) => title.includes(k));
    if (!hit && !titleHit) {
      leaves(role || main)
        .filter((el) => !el.closest(".handbook-role-header"))
        .forEach(consider);
    }
    if (!hit && role) {
      const purpose = sections.find((s) => s.id.endsWith(".purpose"));
      const first = duties && duties.querySelector("tbody tr td:nth-child(2)");
      if (purpose) hit = [heading(purpose), textOf(purpose.querySelector("p"))];
      else if (first) hit = [heading(duties), textOf(first)];
    }
    if (!hit && !dept) return null;
    const p = document.createElement("p");
    p.classList.add("context", "handbook-hit");
    const add = (cls, text) => {
      const span = p.appendChild(document.createElement("span"));
      span.className = cls;
      span.textContent = text;
    };
    if (dept) add("handbook-hit-dept", dept);
    if (hit) {
      if (hit[0]) add("handbook-hit-label", hit[0]);
      add("handbook-hit-text", excerpt(hit[1], keys));
    }
    return p;
  };

  const originalSummary = Search.makeSearchSummary;
  Search.makeSearchSummary = (htmlText, keywords, anchor) => {
    try {
      const summary = pageSummary(htmlText, [...keywords]);
      if (summary) return summary;
    } catch (e) {
      console.warn("handbook search summary:", e);
    }
    return originalSummary(htmlText, keywords, anchor);
  };
})();
