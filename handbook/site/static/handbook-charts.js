/* The handbook's charts on screen: each chart sits in a frame that scrolls (keyboard-focusable,
   arrow keys scroll it), with buttons to zoom out, zoom in, show actual size and open it full
   screen. A chart starts at its natural size, shrunk to fit its frame but never below 80 %
   (15 px labels -> 12 px); past that the frame scrolls, opening on the chart's top box.
   Drag to pan. Keys in the frame: + and - zoom, 0 resets, Escape leaves full screen. The
   SVG gets the chart's short accessible name; the text version (a <details> list) follows
   the chart. No network. */
(() => {
  "use strict";
  const MIN_FIT = 0.801;    // never shrink labels below 12 px when fitting
  const MIN_ZOOM = 0.25;  // the user may zoom out further to see the whole chart
  const MAX_ZOOM = 3;
  const STEP = 1.25;

  const label = (fig, key) => fig.getAttribute(`data-label-${key}`) || key;

  const button = (fig, key, text, action) => {
    const b = document.createElement("button");
    b.type = "button";
    b.className = `handbook-chart-button handbook-chart-${key}`;
    b.setAttribute("aria-label", label(fig, key));
    b.title = label(fig, key);
    b.innerHTML = `<span aria-hidden="true">${text}</span>`;
    b.addEventListener("click", action);
    return b;
  };

  const setup = (fig) => {
    if (fig.dataset.hbReady) return;
    const frame = fig.querySelector(".handbook-chart-frame");
    const svg = frame && frame.querySelector("svg");
    if (!svg || !svg.viewBox || !svg.viewBox.baseVal || !svg.viewBox.baseVal.width) return;
    fig.dataset.hbReady = "1";
    const natural = {w: svg.viewBox.baseVal.width, h: svg.viewBox.baseVal.height};
    const name = fig.getAttribute("data-chart-name");
    if (name) svg.setAttribute("aria-label", name);
    svg.removeAttribute("width");
    svg.removeAttribute("height");
    svg.style.setProperty("max-width", "none", "important");
    let zoom = 1;
    const apply = () => {
      svg.style.setProperty("width", `${natural.w * zoom}px`, "important");
      svg.style.setProperty("height", `${natural.h * zoom}px`, "important");
      fig.dataset.zoom = zoom.toFixed(3);
    };
    const fit = () => {
      const room = frame.clientWidth - 24;
      zoom = Math.min(1, Math.max(MIN_FIT, room / natural.w));
      apply();
    };
    const zoomBy = (f) => {
      const cx = (frame.scrollLeft + frame.clientWidth / 2) / (natural.w * zoom);
      const cy = (frame.scrollTop + frame.clientHeight / 2) / (natural.h * zoom);
      zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom * f));
      apply();
      frame.scrollLeft = cx * natural.w * zoom - frame.clientWidth / 2;
      frame.scrollTop = cy * natural.h * zoom - frame.clientHeight / 2;
    };
    const actual = () => { zoom = 1; apply(); };
    const full = button(fig, "fullscreen", "⛶", () => {
      const on = !fig.classList.contains("handbook-chart-expanded");
      fig.classList.toggle("handbook-chart-expanded", on);
      document.documentElement.classList.toggle("handbook-chart-open", on);
      full.setAttribute("aria-pressed", String(on));
      full.setAttribute("aria-label", label(fig, on ? "exit-fullscreen" : "fullscreen"));
      full.title = full.getAttribute("aria-label");
      if (on) { zoom = Math.max(MIN_FIT, Math.min(1, (frame.clientWidth - 24) / natural.w)); apply(); }
      else fit();
      frame.focus();
    });
    full.setAttribute("aria-pressed", "false");
    const bar = document.createElement("div");
    bar.className = "handbook-chart-toolbar";
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", label(fig, "controls"));
    bar.append(button(fig, "zoom-out", "−", () => zoomBy(1 / STEP)), button(fig, "zoom-in", "+", () => zoomBy(STEP)),
               button(fig, "zoom-reset", "1:1", actual), full);
    fig.insertBefore(bar, frame);
    frame.addEventListener("keydown", (e) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === "+" || e.key === "=") { zoomBy(STEP); e.preventDefault(); }
      else if (e.key === "-" || e.key === "_") { zoomBy(1 / STEP); e.preventDefault(); }
      else if (e.key === "0") { actual(); e.preventDefault(); }
    });
    fig.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && fig.classList.contains("handbook-chart-expanded")) { full.click(); e.preventDefault(); }
    });
    // drag to pan (a click on a box still follows its link: only a real drag pans)
    let drag = null;
    frame.addEventListener("pointerdown", (e) => {
      if (e.button !== 0) return;
      drag = {x: e.clientX, y: e.clientY, l: frame.scrollLeft, t: frame.scrollTop, moved: false};
    });
    frame.addEventListener("pointermove", (e) => {
      if (!drag) return;
      const dx = e.clientX - drag.x, dy = e.clientY - drag.y;
      if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 6) return;
      drag.moved = true;
      frame.classList.add("handbook-chart-panning");
      frame.scrollLeft = drag.l - dx;
      frame.scrollTop = drag.t - dy;
    });
    const end = () => { if (drag && drag.moved) frame.addEventListener("click", (ev) => ev.preventDefault(), {capture: true, once: true}); drag = null; frame.classList.remove("handbook-chart-panning"); };
    frame.addEventListener("pointerup", end);
    frame.addEventListener("pointerleave", () => { drag = null; frame.classList.remove("handbook-chart-panning"); });
    fit();
    // a chart wider than its frame opens on its top box (the head), not on its left edge
    if (frame.scrollWidth > frame.clientWidth) {
      const boxes = [...svg.querySelectorAll("g.node")].map((n) => n.getBoundingClientRect());
      const top = boxes.reduce((a, b) => (b.top < a.top ? b : a), boxes[0]);
      const f = frame.getBoundingClientRect();
      if (top) frame.scrollLeft += top.left + top.width / 2 - (f.left + f.width / 2);
    }
    window.addEventListener("resize", () => { if (!fig.classList.contains("handbook-chart-expanded")) fit(); });
  };

  const scan = () => document.querySelectorAll("figure.handbook-chart").forEach(setup);
  const start = () => {
    scan();
    let pending = false;
    new MutationObserver(() => {
      if (!pending) { pending = true; requestAnimationFrame(() => { pending = false; scan(); }); }
    }).observe(document.body, {childList: true, subtree: true});
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
