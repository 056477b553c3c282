/*
 * Handbook Chinese search: split a query into words with Intl.Segmenter("zh", word);
 * Latin words and numbers are kept as they are. (The handbook's own search page refines
 * these pieces with the index's vocabulary: handbook-search.js.)
 */
var splitQuery = (function () {
  const HAN = /\p{Script=Han}/u;
  const PARTS = /\p{Script=Han}+|[^\p{Script=Han}]+/gu;
  const segmenter = (typeof Intl !== "undefined" && Intl.Segmenter)
    ? new Intl.Segmenter("zh", { granularity: "word" }) : null;
  return function (query) {
    const terms = [];
    query
      .split(/[^\p{Letter}\p{Number}_\p{Emoji_Presentation}]+/gu)
      .filter((term) => term)
      .forEach((chunk) => {
        for (const part of chunk.match(PARTS)) {
          if (HAN.test(part) && segmenter) terms.push(...[...segmenter.segment(part)].map((x) => x.segment));
          else terms.push(part);
        }
      });
    return terms;
  };
})();
