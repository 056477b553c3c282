// Geometry of the rendered charts of a page, as the reader sees them (screen pixels):
// per chart, its kind, the connectors that pass through a box that is not one of their two
// ends (points sampled every 3 px along each connector's path, a box shrunk by 2 px), the
// connectors drawn as curves, the connectors whose first end (the superior: lines are
// written superior first) is not above its second, and the smallest label's rendered font size.
(() => {
  const endsOf = (path) => {
    const id = path.getAttribute("data-id") || path.id || "";
    const m = /^L_(n\d+|g\d+)_(n\d+|g\d+)(?:_\d+)+$/.exec(id);
    return m ? [m[1], m[2]] : null;
  };
  const keyOf = (el) => { const m = /-(n\d+|g\d+)-\d+$/.exec(el.id) || /(?:^|-)(n\d+|g\d+)$/.exec(el.id); return m ? m[1] : el.id; };
  return [...document.querySelectorAll("figure.handbook-chart")].map((fig) => {
    const svg = fig.querySelector("svg");
    const kind = fig.classList.contains("handbook-chart-org") ? "org" : "flow";
    if (!svg) return {kind, rendered: false};
    const boxes = [...svg.querySelectorAll("g.node")].map((n) => {
      const r = n.getBoundingClientRect(); return {key: keyOf(n), l: r.left, t: r.top, r: r.right, b: r.bottom};
    });
    // a block of stacked boxes is an end too: its connector ends on the block's frame
    const clusters = Object.fromEntries([...svg.querySelectorAll("g.cluster")].map((c) => [keyOf(c), c]));
    const inside = (key, b) => { const c = clusters[key]; if (!c) return false; const r = c.getBoundingClientRect();
      return b.l >= r.left - 1 && b.r <= r.right + 1 && b.t >= r.top - 1 && b.b <= r.bottom + 1; };
    const rectOf = (key) => { const b = boxes.find((x) => x.key === key); if (b) return b;
      const c = clusters[key]; if (!c) return null; const r = c.getBoundingClientRect(); return {t: r.top, b: r.bottom}; };
    const through = [], unknown = [], upward = [];
    let curves = 0;
    const paths = [...svg.querySelectorAll("path.flowchart-link")];
    for (const p of paths) {
      const ends = endsOf(p);
      if (!ends) { unknown.push(p.id || p.getAttribute("data-id")); continue; }
      if (/[CcQqSsTtAa]/.test(p.getAttribute("d") || "")) curves++;
      const [top, bottom] = ends.map(rectOf);
      if (top && bottom && top.t >= bottom.t - 1) upward.push(`${ends[0]} (top ${Math.round(top.t)}) -> ${ends[1]} (top ${Math.round(bottom.t)})`);
      const len = p.getTotalLength(), ctm = p.getScreenCTM();
      for (let s = 0; s <= len; s += 3) {
        const pt = p.getPointAtLength(s);
        const x = ctm.a * pt.x + ctm.c * pt.y + ctm.e, y = ctm.b * pt.x + ctm.d * pt.y + ctm.f;
        const hit = boxes.find((b) => !ends.includes(b.key) && !ends.some((e) => inside(e, b))
          && x > b.l + 2 && x < b.r - 2 && y > b.t + 2 && y < b.b - 2);
        if (hit) { through.push(`${ends[0]}->${ends[1]} through ${hit.key}`); break; }
      }
    }
    const vb = svg.viewBox.baseVal;
    const ratio = vb && vb.width ? svg.getBoundingClientRect().width / vb.width : 1;
    const labels = [...svg.querySelectorAll("g.node span, g.node text, g.node tspan, g.edgeLabel span, g.edgeLabel tspan, g.cluster-label span, g.cluster-label tspan")]
      .filter((t) => (t.textContent || "").trim() && !t.querySelector("span, tspan"));
    const sizes = labels.map((t) => parseFloat(getComputedStyle(t).fontSize) * ratio);
    return {kind, rendered: true, boxes: boxes.length, connectors: paths.length, through, unknown, curves, upward,
            minLabelPx: sizes.length ? Math.min(...sizes) : null, name: svg.getAttribute("aria-label")};
  });
})()
