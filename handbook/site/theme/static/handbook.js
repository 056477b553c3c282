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

/* The navigation button of narrow screens: a disclosure button (aria-expanded) that shows and
   hides the sidebar; Escape closes it and gives the focus back to the button. Without
   JavaScript the button is hidden and the sidebar stays open. */
(() => {
  "use strict";
  const start = () => {
    const button = document.getElementById("handbook-nav-toggle");
    const sidebar = button && document.getElementById(button.getAttribute("aria-controls"));
    if (!sidebar) return;
    const root = document.documentElement;
    const show = (open) => {
      button.setAttribute("aria-expanded", String(open));
      root.classList.toggle("handbook-nav-open", open);
    };
    button.addEventListener("click", () => show(button.getAttribute("aria-expanded") !== "true"));
    sidebar.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true"
          && getComputedStyle(button).display !== "none") {
        show(false);
        button.focus();
      }
    });
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();

/* The print date: in the printed page's running header (a CSS string for the @page margin box)
   and in the print-only line at the top of the page. Set now and again just before printing. */
(() => {
  "use strict";
  const pad = (n) => String(n).padStart(2, "0");
  const stamp = () => {
    const d = new Date();
    const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
    const spans = document.querySelectorAll(".handbook-print-date");
    spans.forEach((span) => { span.textContent = date; });
    const label = spans.length ? spans[0].dataset.label || "" : "";
    const text = `${label} ${date}`.trim().replace(/["\\]/g, "\\$&");
    document.documentElement.style.setProperty("--hb-print-date", `"${text}"`);
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", stamp); else stamp();
  window.addEventListener("beforeprint", stamp);
})();
