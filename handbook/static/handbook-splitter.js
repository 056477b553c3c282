/*
 * Handbook Chinese search: split a query the way the index was built.
 * Chinese runs are segmented with Intl.Segmenter("zh", word), then refined with the
 * index's own vocabulary (the terms jieba produced at build time): adjacent pieces are
 * joined when the joined word is an index term, unknown pieces are split by forward
 * maximum matching. Latin words and numbers are kept as they are.
 */
var splitQuery = (function () {
  const HAN = /\p{Script=Han}/u;
  const PARTS = /\p{Script=Han}+|[^\p{Script=Han}]+/gu;
  const MAXLEN = 16;
  const segmenter = (typeof Intl !== "undefined" && Intl.Segmenter)
    ? new Intl.Segmenter("zh", { granularity: "word" }) : null;

  const index = () => (typeof Search !== "undefined" && Search._index) ? Search._index : null;
  const known = (w) => {
    const ix = index();
    if (!ix) return false;
    return Object.prototype.hasOwnProperty.call(ix.terms, w)
      || Object.prototype.hasOwnProperty.call(ix.titleterms, w);
  };
  // forward maximum matching of index terms; characters without a term stay single
  const maxMatch = (s) => {
    const out = [];
    let i = 0;
    while (i < s.length) {
      let j = Math.min(s.length, i + MAXLEN);
      for (; j > i + 1; j--) if (known(s.slice(i, j))) break;
      out.push(s.slice(i, j));
      i = j;
    }
    return out;
  };
  const segmentHan = (run) => {
    if (run.length < 2) return [run];
    if (!index()) return segmenter ? [...segmenter.segment(run)].map((x) => x.segment) : [run];
    const pieces = segmenter ? [...segmenter.segment(run)].map((x) => x.segment) : [...run];
    const out = [];
    for (let i = 0; i < pieces.length; ) {
      // the longest run of pieces starting here that is one index term
      let best = known(pieces[i]) ? 1 : 0;
      let joined = pieces[i];
      for (let k = i + 1; k < pieces.length && joined.length < MAXLEN; k++) {
        joined += pieces[k];
        if (known(joined) && pieces[i].length < 2) best = k - i + 1;
      }
      if (best > 0) {
        out.push(pieces.slice(i, i + best).join(""));
        i += best;
      } else {
        out.push(...maxMatch(pieces[i]));
        i += 1;
      }
    }
    return out;
  };
  return function (query) {
    const terms = [];
    query
      .split(/[^\p{Letter}\p{Number}_\p{Emoji_Presentation}]+/gu)
      .filter((term) => term)
      .forEach((chunk) => {
        for (const part of chunk.match(PARTS)) {
          if (HAN.test(part)) terms.push(...segmentHan(part));
          else terms.push(part);
        }
      });
    return terms;
  };
})();
