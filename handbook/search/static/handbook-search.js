/*
 * Handbook search page: "whose duty is this?"
 *
 * Reads the handbook's split index (_static/handbook-search/, written at build time), never
 * Sphinx's searchindex.js: index.js lists the pages and which shard holds the terms of each
 * first character; a query loads only the shards of its own characters. Each key maps to
 * the pages holding it in their title, their duties, or anywhere ("T|D|O" postings).
 *
 *  - Chinese is cut with Intl.Segmenter, then neighbouring pieces are joined into the
 *    index's own words (签/收/单 -> 签收 单); a word is also found by its character pairs in
 *    titles and duties, so 不合格品 or 合格证 are found however they were cut;
 *  - question words (谁, 哪个, 负责 ...; handbook_search_ignore) never make a query fail;
 *  - pages holding all words are listed; when none does, the pages holding the most,
 *    each saying what it misses; words found nowhere are named;
 *  - ranking: more words > the exact title > role, department, process pages (before the
 *    index, changes and history pages about them) > every word in the title (roles first) >
 *    words in duties > words standing together > how many of the words' vocabulary terms the
 *    page holds > the query's own words > role pages > the rest;
 *  - the vocabulary of work (boot.vocab): a query word of a group also finds the pages
 *    holding the group's words as words (the ~word keys); a question's frame (谁负责, 找谁,
 *    在哪里 ...) is cut out first; a word and a character beside it are cut the other way when
 *    the index holds the other cut's words together (开发 + 票 -> 开 + 发票); a single
 *    character of a longer word (单 of 菜单) never makes a result alone; when nothing
 *    answers, the page offers words and departments that lead somewhere;
 *  - a result's snippet (its department and the best passage) comes from a small per-page
 *    file, loaded when the result scrolls into view.
 * Works on the handbook theme's own search page and, replacing Sphinx's, on any theme's.
 */
"use strict";
(() => {
  const HS = window.HandbookSearch;
  const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{2ffff}]/u;
  const HAN_PARTS = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{2ffff}]+|[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{2ffff}]+/gu;
  const TITLE = 3, LEAD = 2.5, DUTY = 2, OTHER = 1; // where a word is on a page
  const LIMIT = 100; // results listed (snippets are loaded as they scroll into view)
  const MAXJOIN = 8; // most pieces joined into one word
  const chars = (s) => Array.from(s);
  const has = (o, k) => Object.prototype.hasOwnProperty.call(o, k);
  const groupOf = (key) => { const c = chars(key); return HAN.test(c[0]) ? c[0] : c.slice(0, 2).join(""); };
  const normalize = (s) => s.normalize("NFKC").toLowerCase();
  const segmenter = typeof Intl !== "undefined" && Intl.Segmenter ? new Intl.Segmenter("zh", { granularity: "word" }) : null;

  const decode = (s) => {
    const out = [];
    if (!s) return out;
    if (s[0] === "~") {
      const bytes = atob(s.slice(1));
      for (let i = 0; i < bytes.length; i++) {
        const b = bytes.charCodeAt(i);
        if (b) for (let bit = 0; bit < 8; bit++) if (b & (1 << bit)) out.push(i * 8 + bit);
      }
      return out;
    }
    let cur = 0;
    for (const part of s.split(",")) { cur += parseInt(part, 36); out.push(cur); }
    return out;
  };

  /* The split index: shards are loaded on demand, postings decoded once. ``meta``: which
     shard holds which group (HandbookSearchBoot, inlined in the search page, so the shards
     are requested at once, alongside index.js). */
  class Index {
    constructor(meta) { this.meta = meta; this.shards = new Map(); this.cache = new Map(); }
    need(keys) {
      const wanted = new Set();
      for (const k of keys) {
        const n = this.meta.groups[groupOf(k)];
        if (n !== undefined && !this.shards.has(n)) wanted.add(n);
      }
      return Promise.all([...wanted].map((n) => HS.load(`t${n}`, this.meta.shards[n]).then((d) => this.shards.set(n, d))));
    }
    raw(key) {
      const s = this.shards.get(this.meta.groups[groupOf(key)]);
      return s && has(s, key) ? s[key] : null;
    }
    // [title, duty, other, lead] pages as Sets
    fields(key) {
      let f = this.cache.get(key);
      if (!f) {
        const raw = this.raw(key);
        const parts = raw ? raw.split("|") : [];
        f = [0, 1, 2, 3].map((i) => new Set(decode((parts[i] || "").replace(/^\*/, ""))));
        this.cache.set(key, f);
      }
      return f;
    }
    // a word of the index's vocabulary (jieba's terms, Sphinx's own index), not a mere pair
    known(key) { const raw = this.raw(key); return !!raw && (raw.split("|")[2] || "").startsWith("*"); }
    prefixed(prefix) {
      const s = this.shards.get(this.meta.groups[groupOf(prefix)]);
      return s ? Object.keys(s).filter((k) => k !== prefix && k.startsWith(prefix)) : [];
    }
  }

  /* -- the vocabulary of work (boot.vocab: [[words the handbook holds], [other words]] per group) -- */

  // a word of a group -> the group's words the handbook holds (itself excepted)
  const makeVocab = (groups) => {
    const map = new Map();
    for (const [present, others] of groups || []) {
      for (const w of [...present, ...others]) {
        if (!map.has(w)) map.set(w, new Set());
        for (const t of present) if (t !== w) map.get(w).add(t);
      }
    }
    return map;
  };
  let vocab = new Map();
  let heldWords = new Set(); // the vocabulary's words the handbook holds
  const VOCAB = "~"; // the index key of a vocabulary word's pages (~计薪: found as a word, not as a pair)
  const matchVocab = (index, t) => {
    const out = new Map();
    const [ti, d, o, l] = index.fields(VOCAB + t);
    for (const doc of o) put(out, doc, OTHER);
    for (const doc of d) put(out, doc, DUTY);
    for (const doc of l) put(out, doc, LEAD);
    for (const doc of ti) put(out, doc, TITLE);
    return out;
  };
  // a word of the index (Sphinx's terms) or of the vocabulary: kept whole when a query is cut
  const isWord = (index, w) => index.known(w) || vocab.has(w);

  /* -- the query ------------------------------------------------------------------------ */

  // forward maximum matching of known words; characters without one stay single
  const maxMatch = (s, index, except = null) => {
    const c = chars(s);
    const out = [];
    for (let i = 0; i < c.length; ) {
      let j = Math.min(c.length, i + 12);
      for (; j > i + 1; j--) {
        const w = c.slice(i, j).join("");
        if (w !== except && isWord(index, w)) break;
      }
      out.push(c.slice(i, j).join(""));
      i = j;
    }
    return out;
  };

  // Intl.Segmenter's pieces, joined into the longest known words (never across a question word)
  const cut = (run) => (segmenter ? [...segmenter.segment(run)].map((x) => x.segment) : chars(run));
  const segment = (pieces, index, ignore) => {
    const out = [];
    for (let i = 0; i < pieces.length; ) {
      if (ignore.has(pieces[i])) { out.push(pieces[i]); i += 1; continue; }
      let best = 0;
      let joined = "";
      for (let k = i; k < pieces.length && k < i + MAXJOIN; k++) {
        if (k > i && ignore.has(pieces[k])) break;
        joined += pieces[k];
        if (chars(joined).length >= 2 && isWord(index, joined)) best = k - i + 1;
      }
      if (best > 0) { out.push(pieces.slice(i, i + best).join("")); i += best; continue; }
      // an unknown piece: its known words, the characters between them kept together
      // (量子 stays one word, found nowhere, rather than 量 and 子 found everywhere)
      let rest = "";
      for (const w of isWord(index, pieces[i]) ? [pieces[i]] : maxMatch(pieces[i], index)) {
        if (chars(w).length === 1 && !index.known(w)) { rest += w; continue; }
        if (rest) { out.push(rest); rest = ""; }
        out.push(w);
      }
      if (rest) out.push(rest);
      i += 1;
    }
    return out;
  };

  // the pages holding a word in their title, lead or duties (a single character: in a title,
  // or in a pair it starts)
  const held = (index, w) => {
    const out = new Set();
    if (chars(w).length === 1) {
      for (const key of [w, ...index.prefixed(w).filter((k) => chars(k).length === 2)]) {
        const [t, d, , l] = index.fields(key);
        for (const s of [t, d, l]) for (const doc of s) out.add(doc);
      }
      return out;
    }
    for (const [doc, f] of phrase(index, w)) if (f >= DUTY) out.add(doc);
    return out;
  };
  const heldTogether = (index, a, b) => { const x = held(index, a); let n = 0; for (const doc of held(index, b)) if (x.has(doc)) n++; return n; };

  // a word and a character beside it cut the other way when the index holds the other cut's
  // words together on more pages: 开发 + 票 -> 开 + 发票
  const recut = (ws, index, ignore) => {
    const out = [...ws];
    for (let i = 0; i + 1 < out.length; i++) {
      const [a, b] = [out[i], out[i + 1]];
      if (ignore.has(a) || ignore.has(b)) continue;
      const ca = chars(a);
      const cb = chars(b);
      let alt = null;
      if (ca.length >= 2 && cb.length === 1) alt = [ca.slice(0, -1).join(""), ca[ca.length - 1] + b];
      else if (ca.length === 1 && cb.length >= 2) alt = [a + cb[0], cb.slice(1).join("")];
      if (!alt || !alt.every((w) => chars(w).length === 1 || isWord(index, w))) continue;
      if (heldTogether(index, alt[0], alt[1]) > heldTogether(index, a, b)) { out[i] = alt[0]; out[i + 1] = alt[1]; }
    }
    return out;
  };

  // language_data.js's stemmer and stop words (Sphinx's; another theme may load it after this script)
  let stemmer = null;
  const stem = (w) => {
    if (!stemmer && typeof Stemmer === "function") stemmer = new Stemmer();
    return stemmer ? stemmer.stemWord(w) : w;
  };
  const isStop = (w) => typeof stopwords !== "undefined" && stopwords.has(w);

  // a question's frame (谁负责, 找谁, 在哪里, 哪个部门 ...: the question words asking who, where,
  // how), cut out of a Chinese run before it is segmented: never the subject of the query
  let frames = null;
  const framesOf = (ignore) => {
    const words = [...ignore].filter((w) => HAN.test(w) && chars(w).length >= 2 && /[谁哪怎何么啥]/u.test(w));
    words.sort((a, b) => chars(b).length - chars(a).length);
    return words.length ? new RegExp(`(${words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})`, "u") : null;
  };
  const cutFrames = (text) => (frames ? text.split(frames).filter(Boolean) : [text]);

  // the parts of a query: its Chinese runs (with Intl.Segmenter's pieces) and Latin words, in order;
  // a query that is one phrase of the vocabulary ("social insurance") is one part
  const pieces = (query) => {
    const out = [];
    const whole = normalize(query).trim().replace(/\s+/g, " ");
    if (whole.includes(" ") && !HAN.test(whole) && vocab.has(whole)) return [{ text: whole, han: false, chunk: 0, segs: [whole] }];
    normalize(query).split(/[^\p{L}\p{N}_]+/u).filter(Boolean).forEach((chunk, c) => {
      for (const run of chunk.match(HAN_PARTS)) {
        const han = HAN.test(run);
        for (const text of han ? cutFrames(run) : [run]) out.push({ text, han, chunk: c, segs: han ? (frames && frames.test(text) && chars(text).length > 1 ? [text] : cut(text)) : [text] });
      }
    });
    return out;
  };

  // the shards a query needs: those of its characters, except in question words (谁, 负责 ...)
  const keysToLoad = (parts, ignore) => {
    const keys = [];
    const latin = [];
    const asked = parts.some((p) => p.segs.some((s) => !ignore.has(s)));
    for (const p of parts) {
      if (p.han) for (const s of p.segs) { if (!asked || !ignore.has(s)) keys.push(...chars(s)); }
      else { keys.push(p.text, stem(p.text)); latin.push(p.text); }
    }
    if (latin.length > 1) keys.push(latin.join(""));
    if (latin.length && latin.length === parts.length) keys.push(`=${latin.join("")}`);
    // the vocabulary's words for the query's words (of any word of the query's text: the cut is not known yet)
    for (const p of parts) {
      if (p.han && ignore.has(p.text)) continue;
      const found = p.han ? [...vocab.keys()].filter((w) => HAN.test(w) && p.text.includes(w)) : vocab.has(p.text) ? [p.text] : [];
      for (const w of found) for (const t of [w, ...vocab.get(w)]) if (heldWords.has(t)) keys.push(VOCAB + t);
    }
    return keys;
  };

  // words (with their forms), runs of Chinese words standing together, and question words
  const parse = (parts, index, ignore) => {
    const words = [];
    const runs = [];
    parts.forEach((p, n) => {
      if (p.han) {
        let run = [];
        const close = () => { if (run.length > 1) runs.push(run); run = []; };
        const cutWords = recut(segment(p.segs, index, ignore), index, ignore);
        for (const w of cutWords) {
          const q = ignore.has(w);
          // a single character cut out of a longer word (单 of 菜单) never makes a result alone
          const weak = !q && chars(w).length === 1 && chars(p.text).length > 1;
          words.push({ text: w, han: true, forms: [w], question: q, part: n, weak, syn: [...(vocab.get(w) || [])] });
          if (q) close(); else run.push(words.length - 1);
        }
        close();
      } else {
        const stemmed = stem(p.text);
        const forms = stemmed && stemmed !== p.text ? [p.text, stemmed] : [p.text];
        words.push({ text: p.text, han: false, forms, question: ignore.has(p.text) || isStop(p.text), part: n,
                     weak: false, syn: [...(vocab.get(p.text) || vocab.get(stemmed) || [])] });
      }
    });
    if (words.every((w) => w.question)) words.forEach((w) => { w.question = false; });
    return { words, runs };
  };

  /* -- matching ----------------------------------------------------------------------- */

  const put = (map, doc, f, together = true) => {
    const prev = map.get(doc);
    if (!prev || f > prev.f || (f === prev.f && together && !prev.together)) map.set(doc, { f, together });
  };

  // pages holding a Chinese string in their title, lead or duties, by its character pairs
  const phrase = (index, text) => {
    const c = chars(text);
    const out = new Map();
    if (c.length < 2) return out;
    let title = null;
    let lead = null;
    let any = null;
    const keep = (set, next) => (set ? new Set([...set].filter((x) => next.has(x))) : new Set(next));
    for (let i = 0; i + 1 < c.length; i++) {
      const [t, d, , l] = index.fields(c[i] + c[i + 1]); // each page in its best field
      title = keep(title, t);
      lead = keep(lead, new Set([...t, ...l]));
      any = keep(any, new Set([...t, ...d, ...l]));
      if (!any.size) return out;
    }
    for (const doc of any) out.set(doc, title.has(doc) ? TITLE : lead.has(doc) ? LEAD : DUTY);
    return out;
  };

  const matchHan = (index, w, depth = 0) => {
    const out = new Map();
    const [t, d, o, l] = index.fields(w);
    for (const doc of o) put(out, doc, OTHER);
    if (chars(w).length === 1) {
      for (const doc of d) put(out, doc, DUTY);
      for (const doc of l) put(out, doc, LEAD);
      for (const doc of t) put(out, doc, TITLE);
    } else {
      for (const [doc, f] of phrase(index, w)) put(out, doc, f);
    }
    // a long word is also found with its parts apart (采购合同: 采购 ... 合同), ranked lower
    if (depth < 2 && chars(w).length >= 3) {
      const parts = maxMatch(w, index, w);
      if (parts.length > 1 && parts.every((p) => chars(p).length > 1 || index.known(p))) {
        let common = null;
        for (const p of parts) {
          const m = matchHan(index, p, depth + 1);
          if (!common) common = new Map([...m].map(([doc, v]) => [doc, v.f]));
          else for (const [doc, f] of common) { const v = m.get(doc); if (v) common.set(doc, Math.min(f, v.f)); else common.delete(doc); }
          if (!common.size) break;
        }
        for (const [doc, f] of common || []) put(out, doc, f, false);
      }
    }
    return out;
  };

  const matchLatin = (index, w) => {
    const out = new Map();
    for (const form of w.forms) {
      const [t, d, o, l] = index.fields(form);
      for (const doc of o) put(out, doc, OTHER);
      for (const doc of d) put(out, doc, DUTY);
      for (const doc of l) put(out, doc, LEAD);
      for (const doc of t) put(out, doc, TITLE);
      if (chars(form).length >= 3) { // a beginning: "superv" finds supervisor, "kefu" kefuzhuguan
        for (const key of index.prefixed(form)) {
          const [pt, pd, po, pl] = index.fields(key);
          for (const doc of po) put(out, doc, OTHER, false);
          for (const doc of pd) put(out, doc, DUTY, false);
          for (const doc of pl) put(out, doc, LEAD, false);
          for (const doc of pt) put(out, doc, TITLE, false);
        }
      }
    }
    return out;
  };

  const search = (index, meta, query, parsed) => {
    const { words, runs } = parsed;
    const active = words.filter((w) => !w.question);
    // (a word of the vocabulary the handbook holds: the pages holding it as a word, not as a
    // chance pair of characters: 大客户 is not in 重大客户投诉)
    const matches = active.map((w) => (!w.han ? matchLatin(index, w)
      : heldWords.has(w.text) ? matchVocab(index, w.text) : matchHan(index, w.text)));
    // the vocabulary: a word also finds the pages of its group's words, ranked below its own
    // (evidence: how many of a word's terms a page holds in its title, lead or duties: a page
    // about the topic says it in several words, a chance pair of characters in one)
    const also = [];
    const evidence = new Map();
    const count = (m) => { for (const [doc, v] of m) if (v.f >= DUTY) evidence.set(doc, (evidence.get(doc) || 0) + 1); };
    matches.forEach(count);
    active.forEach((w, i) => {
      for (const t of w.syn || []) {
        const m = matchVocab(index, t);
        if (m.size && !also.includes(t)) also.push(t);
        count(m);
        for (const [doc, v] of m) put(matches[i], doc, v.f, false); // (where it is a better field than the word's own)
      }
    });
    // Latin words typed apart may be one key: "shouhou jingli" -> shouhoujingli (pinyin), "cs 02" -> cs02
    const latin = active.map((w, i) => [w, i]).filter(([w]) => !w.han);
    if (latin.length > 1) {
      const joined = latin.map(([w]) => w.text).join("");
      const m = matchLatin(index, { forms: [joined] });
      for (const [doc, v] of m) if (v.f === TITLE) for (const [, i] of latin) put(matches[i], doc, TITLE, v.together);
    }
    // Chinese words standing together in a title or duty
    const together = new Map();
    for (const run of runs) {
      const idx = run.map((k) => active.indexOf(words[k]));
      for (const [doc, f] of phrase(index, run.map((k) => words[k].text).join(""))) {
        together.set(doc, (together.get(doc) || 0) + 1);
        for (const i of idx) put(matches[i], doc, f);
      }
    }
    const found = active.filter((w, i) => matches[i].size > 0);
    const strong = new Set(active.map((w, i) => (w.weak ? -1 : i)).filter((i) => i >= 0 && matches[i].size > 0));
    const missing = active.filter((w, i) => matches[i].size === 0).map((w) => w.text);
    const compact = (s) => normalize(s).replace(/\s+/g, "");
    const core = compact(active.map((w) => w.text).join(""));
    const whole = compact(query);
    // a Latin query naming a title or code exactly (=kehufuwuzhongxin, =hylcs02, =headofproduction)
    const named = words.length && words.every((w) => !w.han)
      ? index.fields(`=${words.map((w) => w.text).join("")}`)[0] : new Set();
    const docs = new Map();
    matches.forEach((m, i) => { for (const [doc, v] of m) { if (!docs.has(doc)) docs.set(doc, new Map()); docs.get(doc).set(i, v); } });
    const results = [];
    for (const [doc, hits] of docs) {
      if (![...hits.keys()].some((i) => strong.has(i))) continue; // only single characters of longer words
      const kind = meta.kinds[doc];
      const role = kind === "r";
      // a role, department or process page (not an index, changes or history page about them)
      const object = kind === "r" || kind === "d" || kind === "p" ? 1 : 0;
      const title = compact(meta.titles[doc] || "");
      let sum = 0;
      let allTitle = true;
      let inDuty = false;
      for (const v of hits.values()) {
        sum += v.f - (v.together ? 0 : 0.25);
        if (v.f !== TITLE || !v.together) allTitle = false; // (a title holding the vocabulary's word, not the query's, is not "every word in the title")
        if (v.f >= DUTY) inDuty = true;
      }
      const complete = hits.size === found.length;
      // every word in the title (a role first) > a role's duties > another page's duties
      // (a department's functions, a process's steps) > a role's page > any other page
      const tier = allTitle && complete ? (role ? 5 : 4) : inDuty ? (role ? 3 : 2) : role ? 1 : 0;
      const exact = title === core || title === whole || named.has(doc) ? 1 : 0;
      const dept = role ? compact(meta.depts[meta.dept[doc]] || "") : "";
      const deptHits = dept ? active.filter((w) => dept.includes(w.text)).length : 0;
      const missingHere = active.filter((w, i) => matches[i].size > 0 && !hits.has(i) && !w.weak).map((w) => w.text);
      const strongHits = [...hits.keys()].filter((i) => strong.has(i)).length;
      const direct = [...hits.values()].filter((v) => v.together).length; // its own words, not the vocabulary's
      results.push({ doc, key: [hits.size, exact, object, tier, together.get(doc) || 0, evidence.get(doc) || 0, direct, sum, role ? 1 : 0, deptHits,
                                -chars(title).length], missing: missingHere, strongHits, object });
    }
    const cmp = (a, b) => {
      for (let i = 0; i < a.key.length; i++) if (a.key[i] !== b.key[i]) return b.key[i] - a.key[i];
      return meta.docs[a.doc] < meta.docs[b.doc] ? -1 : 1;
    };
    results.sort(cmp);
    // pages holding every word; when only pages about pages (an index, the changes) do, the
    // role, department and process pages holding the most words instead, before them
    const all = results.some((r) => r.object && r.strongHits === strong.size)
      ? results.filter((r) => r.strongHits === strong.size) : [];
    if (!all.length) results.sort((a, b) => b.object - a.object || cmp(a, b));
    return { results: all.length ? all : results, partial: !all.length && results.length > 0, missing, words: active, also };
  };

  /* -- snippets ------------------------------------------------------------------------ */

  const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

  const snippetKeys = (words) => {
    const keys = new Set();
    for (const w of words) for (const f of w.forms) if (f) keys.add(f);
    return [...keys].sort((a, b) => b.length - a.length);
  };

  // the passage holding most of the query's words: a duty rather than another passage that
  // holds as many, the shorter of two; header rows (flag 1) only when nothing else matches
  const bestPassage = (passages, keys, titleHit) => {
    const score = (p) => {
      const low = p[1].toLowerCase();
      const hits = keys.filter((k) => low.includes(k)).length;
      return hits ? hits * 4 + (p[2] === 2 ? 2 : 0) + 1 / (2 + p[1].length) : 0;
    };
    let best = null;
    let bestScore = 0;
    for (const p of passages) {
      if (p[2] === 1) continue;
      const s = score(p);
      if (s > bestScore) { best = p; bestScore = s; }
    }
    if (!best && !titleHit) {
      for (const p of passages) {
        if (p[2] !== 1) continue;
        const s = score(p);
        if (s > bestScore) { best = p; bestScore = s; }
      }
    }
    return best || passages.find((p) => p[2] !== 1) || null;
  };

  // at most 160 characters, around the first query word
  const excerpt = (text, keys) => {
    if (chars(text).length <= 160) return text;
    const low = text.toLowerCase();
    const at = Math.min(...keys.map((k) => low.indexOf(k)).filter((i) => i >= 0), text.length);
    const start = at < 120 ? 0 : at - 40;
    return (start > 0 ? "…" : "") + text.slice(start, start + 160) + (start + 160 < text.length ? "…" : "");
  };

  const highlight = (el, text, keys) => {
    if (!keys.length) { el.textContent = text; return; }
    const re = new RegExp(`(${keys.map(escapeRe).join("|")})`, "gi");
    text.split(re).forEach((part, i) => {
      if (!part) return;
      if (i % 2) { const mark = el.appendChild(document.createElement("mark")); mark.textContent = part; }
      else el.appendChild(document.createTextNode(part));
    });
  };

  /* -- the page ------------------------------------------------------------------------ */

  const opts = typeof DOCUMENTATION_OPTIONS !== "undefined" ? DOCUMENTATION_OPTIONS : {}; // a global const of Sphinx's
  const linkOf = (docname) => {
    if (opts.BUILDER === "dirhtml") {
      const root = document.documentElement.dataset.content_root || "";
      let dir = `${docname}/`;
      if (dir.endsWith("/index/")) dir = dir.slice(0, -6);
      else if (dir === "index/") dir = "";
      return root + dir;
    }
    return docname + (opts.LINK_SUFFIX || ".html");
  };
  const fill = (template, values) => template.replace(/\{(\w+)\}/g, (m, k) => (k in values ? values[k] : m));

  let stamp = "";
  // docnames are front-coded: each starts with the length (base 36) it shares with the one before
  const unpack = (meta) => {
    if (meta.docs) return;
    let prev = "";
    meta.docs = meta.docnames.map((s) => { prev = prev.slice(0, parseInt(s[0], 36)) + s.slice(1); return prev; });
  };
  const pageFile = (docname) => `pages/${docname.split("/").map(encodeURIComponent).join("/")}.js?v=${stamp}`;

  const showSnippet = (li, r, meta, keys, titleHit) => {
    const docname = meta.docs[r.doc];
    HS.load(`p:${docname}`, pageFile(docname)).then((passages) => {
      const best = bestPassage(passages || [], keys, titleHit);
      const dept = meta.kinds[r.doc] === "r" ? meta.depts[meta.dept[r.doc]] || "" : "";
      if (!best && !dept) return;
      const p = document.createElement("p");
      p.className = "context handbook-hit";
      if (dept) { const s = p.appendChild(document.createElement("span")); s.className = "handbook-hit-dept"; s.textContent = dept; }
      if (best) {
        if (best[0]) { const s = p.appendChild(document.createElement("span")); s.className = "handbook-hit-label"; s.textContent = best[0]; }
        highlight(p.appendChild(document.createElement("span")), excerpt(best[1], keys), keys);
        p.lastChild.className = "handbook-hit-text";
      }
      li.insertBefore(p, li.querySelector(".handbook-missing"));
    }).catch(() => {});
  };

  const boot = window.HandbookSearchBoot || { groups: {}, shards: [], ignore: [], stamp: "" };
  const ignore = new Set(boot.ignore);
  vocab = makeVocab(boot.vocab);
  heldWords = new Set((boot.vocab || []).flatMap((g) => g[0]));
  frames = framesOf(ignore);
  stamp = boot.stamp;
  const index = new Index(boot);
  // a query's pieces and the loading of its shards, started as soon as the query is known
  const prepared = new Map();
  const prepare = (query) => {
    if (!prepared.has(query)) {
      const parts = pieces(query);
      prepared.set(query, { parts, loading: index.need(keysToLoad(parts, ignore)) });
    }
    return prepared.get(query);
  };

  const run = async (query, container) => {
    const t0 = performance.now();
    container.textContent = "";
    const h2 = container.appendChild(document.createElement("h2"));
    const summary = container.appendChild(document.createElement("p"));
    summary.className = "search-summary";
    summary.setAttribute("role", "status");
    const { parts, loading } = prepare(query);
    let meta;
    try {
      meta = await HS.wait("index");
    } catch (e) {
      summary.textContent = "The search data could not be loaded.";
      return;
    }
    const L = meta.labels;
    h2.textContent = L.searching;
    unpack(meta);
    try {
      await loading;
      await index.need(keysToLoad(parts, ignore)); // (stemmed words known only now on another theme)
    } catch (e) {
      h2.textContent = L.results;
      summary.textContent = L.error;
      return;
    }
    const parsed = parse(parts, index, ignore);
    const { results, partial, missing, words, also } = search(index, meta, query, parsed);
    h2.textContent = L.results;
    const sentences = [];
    if (!results.length) sentences.push(fill(L.none, { q: query.trim() }), L.none_hint);
    else {
      sentences.push(results.length === 1 ? L.found_one : fill(L.found, { n: results.length }));
      if (partial) sentences.push(L.partial);
    }
    if (missing.length && results.length) sentences.push(fill(L.not_found, { words: missing.join(L.sep) }));
    if (also.length && results.length && L.also) sentences.push(fill(L.also, { words: also.slice(0, 6).join(L.sep) }));
    summary.textContent = sentences.join(/^zh/i.test(document.documentElement.lang) ? "" : " ");
    if (!results.length) offer(container, query, words, meta, L);
    const list = container.appendChild(document.createElement("ul"));
    list.className = "search";
    list.setAttribute("role", "list");
    const keys = snippetKeys(words);
    const observer = "IntersectionObserver" in window ? new IntersectionObserver((entries) => {
      for (const e of entries) {
        if (!e.isIntersecting) continue;
        observer.unobserve(e.target);
        e.target.handbookSnippet();
      }
    }, { rootMargin: "600px 0px" }) : null;
    performance.mark("handbook-search-results"); // the benchmark's "time to first result"
    results.slice(0, LIMIT).forEach((r) => {
      const li = list.appendChild(document.createElement("li"));
      li.className = `kind-${meta.kinds[r.doc]}`;
      const a = li.appendChild(document.createElement("a"));
      a.href = linkOf(meta.docs[r.doc]);
      a.textContent = meta.titles[r.doc];
      if (r.missing.length) {
        const miss = li.appendChild(document.createElement("p"));
        miss.className = "handbook-missing";
        miss.textContent = fill(L.missing, { words: r.missing.join(L.sep) });
      }
      li.handbookSnippet = () => showSnippet(li, r, meta, keys, r.key[3] >= 4);
      if (observer) observer.observe(li); else li.handbookSnippet();
    });
    if (results.length > LIMIT) {
      const note = container.appendChild(document.createElement("p"));
      note.className = "handbook-search-limit";
      note.textContent = fill(L.limit, { n: LIMIT });
    }
    HS.lastSearch = { query, ms: performance.now() - t0, results: results.length, words: words.map((w) => w.text),
                      missing, partial, also, shards: index.shards.size,
                      ranked: results.slice(0, 10).map((r) => [meta.docs[r.doc], r.key]) }; // (why each ranks where it does)
    if (typeof SPHINX_HIGHLIGHT_ENABLED !== "undefined" && SPHINX_HIGHLIGHT_ENABLED) {
      try { localStorage.setItem("sphinx_highlight_terms", keys.join(" ")); } catch (e) { /* private mode */ }
    }
  };

  // no page answers: words of the vocabulary and departments that lead somewhere, those
  // sharing a character with the query first
  const offer = (container, query, words, meta, L) => {
    const typed = new Set(chars(words.map((w) => w.text).join("")));
    const seen = new Set();
    const candidates = [];
    for (const present of (boot.vocab || []).map((g) => g[0])) for (const t of present) if (HAN.test(t)) candidates.push(t);
    candidates.push(...(meta.depts || []).filter(Boolean));
    const scored = candidates.filter((t) => !seen.has(t) && seen.add(t))
      .map((t, n) => ({ t, n, s: chars(t).filter((c) => typed.has(c)).length }));
    scored.sort((a, b) => b.s - a.s || a.n - b.n);
    const offered = scored.filter((x) => x.s > 0).slice(0, 6);
    for (const x of scored) { if (offered.length >= 6) break; if (x.s === 0 && (meta.depts || []).includes(x.t)) offered.push(x); }
    if (!offered.length) return;
    const p = container.appendChild(document.createElement("p"));
    p.className = "handbook-search-offer";
    p.appendChild(document.createTextNode(L.try || "Try: "));
    offered.forEach((x, i) => {
      if (i) p.appendChild(document.createTextNode(L.sep || ", "));
      const a = p.appendChild(document.createElement("a"));
      a.href = `?q=${encodeURIComponent(x.t)}`;
      a.textContent = x.t;
    });
  };

  HS.search = (query) => run(query, document.getElementById("search-results"));

  // This script runs in the page's head: the shards of the query are requested at once,
  // while the page, its styles and index.js load.
  const query = new URLSearchParams(window.location.search).get("q") || "";
  if (query.trim()) prepare(query);
  const ready = () => {
    if (typeof Search !== "undefined" && Search.init) {
      // another theme's search page: Sphinx's Search.init (on ready) fills the boxes, then searches
      Search.performSearch = (q) => run(q, document.getElementById("search-results"));
      return;
    }
    const container = document.getElementById("search-results");
    if (!container) return;
    document.querySelectorAll('input[name="q"]').forEach((el) => { el.value = query; });
    if (query.trim()) run(query, container);
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
