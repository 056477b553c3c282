/* Fit a wide chart to the page, but never shrink its text below about 12px: past that it
   scrolls sideways inside its frame. Runs whenever Mermaid puts or resizes an SVG. No network. */
(() => {
  "use strict";
  const size = (svg) => {
    const vb = svg.viewBox && svg.viewBox.baseVal;
    const w = vb && vb.width ? vb.width : 0;
    if (w > 0) {
      svg.style.setProperty("--hb-natural-width", `${w}px`);
      svg.classList.add("handbook-chart-sized");
    }
  };
  const scan = () => document.querySelectorAll("figure.handbook-chart svg[viewBox]").forEach(size);
  const start = () => {
    scan();
    let pending = false;
    new MutationObserver(() => {
      if (!pending) { pending = true; requestAnimationFrame(() => { pending = false; scan(); }); }
    }).observe(document.body, {childList: true, subtree: true, attributes: true, attributeFilter: ["viewBox", "data-processed"]});
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
