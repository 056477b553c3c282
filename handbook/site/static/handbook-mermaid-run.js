/* Charts drawn in the reader's browser (handbook_chart_drawing = "browser", or no headless
   browser at build time): Mermaid's classic script (a global, not an ES module, so it also
   runs from file://) draws every <pre class="mermaid"> with the configuration the page
   sets in window.handbookMermaidConfig. Until drawn, the source stays hidden (CSS); the
   text version follows each chart. */
(() => {
  "use strict";
  const run = () => {
    const m = window.mermaid && (window.mermaid.run ? window.mermaid : window.mermaid.default);
    if (!m) return;
    m.initialize(window.handbookMermaidConfig || {startOnLoad: false});
    m.run({querySelector: "figure.handbook-chart pre.mermaid"});
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run); else run();
})();
