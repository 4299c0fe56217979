/** Inline CSS and the optional progressive-enhancement script (hover tooltips, legend toggles). */

export const REPORT_CSS = `
:root{color-scheme:light;--fg:#1b1b1b;--muted:#5c5c5c;--rule:#dadada}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:#fff;color:var(--fg);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans","Liberation Sans",sans-serif}
main{max-width:1100px;margin:0 auto;padding:24px 28px 48px}
h1{font-size:1.65rem;margin:0 0 .2rem;line-height:1.2}
h2{font-size:1.2rem;margin:2.2rem 0 .7rem;padding-bottom:.25rem;border-bottom:2px solid #222}
h3{font-size:1rem;margin:0}
.scenario{margin:.3rem 0 .2rem;font-size:1.05rem}
.description{margin:.2rem 0 .8rem;color:var(--muted);max-width:70em;white-space:pre-line}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1.2rem;margin:.6rem 0 0;font-size:.93rem}
dl.meta dt{color:var(--muted)}
dl.meta dd{margin:0;font-variant-numeric:tabular-nums}
nav.toc{margin:1rem 0 0;font-size:.9rem;display:flex;flex-wrap:wrap;gap:.3rem 1rem}
nav.toc a{color:#0b5394;text-decoration:none}
nav.toc a:hover{text-decoration:underline}
table{border-collapse:collapse;font-variant-numeric:tabular-nums;width:100%}
th,td{padding:.28rem .6rem;border-bottom:1px solid var(--rule);text-align:left;vertical-align:top}
thead th{font-weight:600;border-bottom:1.5px solid #444;font-size:.9rem}
tfoot td{font-weight:600;border-top:1.5px solid #444;border-bottom:none}
.num{text-align:right;white-space:nowrap}
td.unit{color:var(--muted);white-space:nowrap}
.tables{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:2rem;align-items:start}
.tables h3{margin-bottom:.3rem}
@media (max-width:820px){.tables{grid-template-columns:1fr}}
ul.notes{margin:.3rem 0 0;padding-left:1.2rem}
ul.notes li{margin:.15rem 0}
.empty{color:var(--muted);font-style:italic}
figure.chart,figure.flows{margin:1.1rem 0 1.8rem}
figcaption .caption{margin:.1rem 0 .2rem;color:var(--muted);font-size:.88rem}
.legend{display:flex;flex-wrap:wrap;gap:.2rem 1.1rem;font-size:.85rem;margin:.35rem 0 .1rem}
.legend .key{display:inline-flex;align-items:center;gap:.35rem;user-select:none}
.legend .key[role=button]{cursor:pointer}
.legend .key.off{opacity:.4;text-decoration:line-through}
svg.plot,svg.sankey{display:block;width:100%;height:auto}
svg text{font-family:inherit;font-size:12px;fill:#333}
svg .ylabel,svg .xlabel{font-size:12.5px;fill:#222}
svg .xtick.sub{fill:#666;font-size:11.5px}
.grid{stroke:#ebebeb;stroke-width:1;fill:none}
.grid.major{stroke:#cfcfcf}
.axis,.tick{stroke:#555;stroke-width:1;fill:none}
.zero{stroke:#333;stroke-width:1;stroke-dasharray:4 3;fill:none}
.line{fill:none;stroke-linejoin:round;stroke-linecap:round}
.cursor{stroke:#222;stroke-width:1;stroke-dasharray:3 2;fill:none;pointer-events:none}
.series.off{display:none}
.sankey .link{fill:none;stroke-opacity:.38}
.sankey .link:hover{stroke-opacity:.6}
.sankey text{paint-order:stroke;stroke:#fff;stroke-width:3.5px;stroke-linejoin:round;font-size:12.5px}
.sankey .node-name{font-weight:600}
.sankey .node-value{fill:#444}
details.flow-table{margin-top:.6rem;font-size:.9rem}
details.flow-table summary{cursor:pointer;color:var(--muted)}
details.flow-table table{max-width:640px;margin-top:.4rem}
.tip{position:absolute;z-index:10;pointer-events:none;background:rgba(255,255,255,.96);border:1px solid #999;border-radius:4px;padding:.35rem .5rem;font-size:.8rem;line-height:1.35;box-shadow:0 2px 6px rgba(0,0,0,.15);font-variant-numeric:tabular-nums;white-space:nowrap}
.tip .tip-time{font-weight:600;margin-bottom:.15rem}
.tip .tip-swatch{display:inline-block;width:.7em;height:.7em;margin-right:.35em;border-radius:2px}
footer{margin-top:2.5rem;padding-top:.6rem;border-top:1px solid var(--rule);color:var(--muted);font-size:.82rem}
@page{size:A4;margin:12mm}
@media print{
  *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
  body{font-size:10pt}
  main{max-width:none;padding:0}
  nav.toc,.tip,.hint{display:none!important}
  h2{break-after:avoid}
  figure,table,section.summary .tables>div{break-inside:avoid}
  .legend .key.off{opacity:1;text-decoration:none}
  .series.off{display:inline}
}
`;

/** Progressive enhancement only: the report is complete without it. Reads the JSON in #chart-data. */
export const REPORT_JS = String.raw`
(function () {
  var holder = document.getElementById("chart-data");
  if (!holder || !window.JSON || !document.querySelectorAll) return;
  var data = JSON.parse(holder.textContent || "{}");
  var tip = document.createElement("div");
  tip.className = "tip";
  tip.hidden = true;
  document.body.appendChild(tip);
  function fmt(v, d) {
    if (v === null || typeof v !== "number") return "\u2014";
    var p = Math.abs(v).toFixed(d).split(".");
    p[0] = p[0].replace(/\B(?=(\d{3})+(?!\d))/g, "\u202f");
    return (v < 0 && Number(p.join(".")) !== 0 ? "\u2212" : "") + p.join(".");
  }
  function nearest(xs, x) {
    var lo = 0, hi = xs.length - 1;
    while (hi - lo > 1) { var mid = (lo + hi) >> 1; if (xs[mid] < x) lo = mid; else hi = mid; }
    return Math.abs(xs[lo] - x) <= Math.abs(xs[hi] - x) ? lo : hi;
  }
  function esc(s) { return window.CSS && CSS.escape ? CSS.escape(s) : s; }
  Array.prototype.forEach.call(document.querySelectorAll("svg[data-chart]"), function (svg) {
    var series = data.charts && data.charts[svg.getAttribute("data-chart")];
    if (!series || !data.x || !data.x.length) return;
    var cursor = svg.querySelector(".cursor");
    var fig = svg.closest("figure");
    function hide() { tip.hidden = true; if (cursor) cursor.setAttribute("visibility", "hidden"); }
    svg.addEventListener("mousemove", function (e) {
      var r = svg.getBoundingClientRect();
      var x = (e.clientX - r.left) / r.width * data.width;
      if (x < data.left - 4 || x > data.right + 4) { hide(); return; }
      var i = nearest(data.x, x);
      if (cursor) { cursor.setAttribute("transform", "translate(" + data.x[i] + ",0)"); cursor.setAttribute("visibility", "visible"); }
      tip.textContent = "";
      var head = document.createElement("div");
      head.className = "tip-time";
      head.textContent = data.labels[i];
      tip.appendChild(head);
      series.forEach(function (s) {
        var key = fig && fig.querySelector('.legend .key[data-key="' + esc(s.key) + '"]');
        if (key && key.classList.contains("off")) return;
        var row = document.createElement("div");
        var sw = document.createElement("span");
        sw.className = "tip-swatch";
        sw.style.background = s.color;
        row.appendChild(sw);
        row.appendChild(document.createTextNode(s.label + ": " + fmt(s.values[i], s.decimals) + (s.unit ? "\u00a0" + s.unit : "")));
        tip.appendChild(row);
      });
      tip.hidden = false;
      var tx = e.pageX + 14, ty = e.pageY + 14;
      if (tx + tip.offsetWidth > window.scrollX + document.documentElement.clientWidth - 8) tx = e.pageX - tip.offsetWidth - 14;
      tip.style.left = tx + "px";
      tip.style.top = ty + "px";
    });
    svg.addEventListener("mouseleave", hide);
  });
  Array.prototype.forEach.call(document.querySelectorAll(".legend .key[data-key]"), function (k) {
    k.setAttribute("role", "button");
    k.setAttribute("aria-pressed", "true");
    k.tabIndex = 0;
    k.title = "Click to hide or show this series";
    function toggle() {
      var off = k.classList.toggle("off");
      k.setAttribute("aria-pressed", off ? "false" : "true");
      var fig = k.closest("figure");
      if (!fig) return;
      Array.prototype.forEach.call(fig.querySelectorAll('.series[data-key="' + esc(k.getAttribute("data-key")) + '"]'), function (g) {
        g.classList.toggle("off", off);
      });
    }
    k.addEventListener("click", toggle);
    k.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); toggle(); } });
  });
  Array.prototype.forEach.call(document.querySelectorAll(".hint"), function (h) { h.hidden = false; });
})();
`;
