// The HTML page's stylesheet, inlined into the page: the page must open from a CI artifact with no network.
export const PAGE_STYLE = `
:root {
  --bg: #f6f7f9; --card: #fff; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0;
  --over: #cf222e; --over-soft: #ffebe9; --under: #bf8700; --under-soft: #fff8c5;
  --out: #8c959f; --ok: #1a7f37; --ok-soft: #dafbe1; --track: #eef1f4;
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --card: #151b23; --ink: #e6edf3; --muted: #9198a1; --line: #3d444d;
    --over: #f85149; --over-soft: #3c1618; --under: #d29922; --under-soft: #3a2e12;
    --out: #6e7681; --ok: #3fb950; --ok-soft: #12261a; --track: #212830;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 12.5px; }
.page { max-width: 1120px; margin: 0 auto; padding: 28px 24px 48px; }
.brand { font-weight: 600; letter-spacing: .04em; color: var(--muted); text-transform: uppercase; font-size: 12px; }
h1 { font-size: 26px; margin: 4px 0 6px; }
h2 { font-size: 18px; margin: 0 0 4px; }
h3 { font-size: 15px; margin: 0; word-break: break-word; }
.verdict { display: inline-block; margin: 4px 0 0; padding: 4px 12px; border-radius: 999px; font-weight: 600; }
.verdict.over { background: var(--over-soft); color: var(--over); }
.verdict.ok { background: var(--ok-soft); color: var(--ok); }
.facts { color: var(--muted); margin: 10px 0 0; }
.facts span + span::before { content: "·"; margin: 0 8px; }
.cards { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 12px; margin: 20px 0 24px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; }
.card .value { font-size: 24px; font-weight: 650; font-variant-numeric: tabular-nums; }
.card .label { color: var(--muted); font-size: 12.5px; }
.card.over .value { color: var(--over); }
.card.under .value { color: var(--under); }
section { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 18px 20px; margin: 0 0 20px; }
.hint { color: var(--muted); margin: 0 0 14px; }
.legend { display: flex; flex-wrap: wrap; gap: 16px; color: var(--muted); font-size: 12.5px; margin: 0 0 12px; }
.legend i { display: inline-block; width: 12px; height: 12px; border-radius: 2px; vertical-align: -2px; margin-right: 5px; }
.legend i.over { background: var(--over); } .legend i.under { background: var(--under); }
.legend i.out-of-scope { background: var(--out); }
.legend i.budget { width: 0; height: 14px; border-left: 2px dashed var(--ink); border-radius: 0; }
.chart { display: grid; grid-template-columns: minmax(14rem, 40%) 1fr 5.5rem; column-gap: 12px; row-gap: 6px; align-items: center; }
.chart .axis-head { grid-column: 2; position: relative; height: 16px; color: var(--muted); font-size: 11.5px; }
.chart .axis-head span { position: absolute; transform: translateX(-50%); white-space: nowrap; font-variant-numeric: tabular-nums; }
.chart .axis-head span:first-child { transform: none; }
.chart .axis-head span:last-child { transform: translateX(-100%); }
.row { display: contents; color: inherit; text-decoration: none; }
.row .name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.row .name .file { color: var(--muted); }
.row:hover .name .test { text-decoration: underline; }
.track { position: relative; height: 20px; background: var(--track); border-radius: 3px; }
.bar { position: absolute; left: 0; top: 3px; bottom: 3px; border-radius: 2px; min-width: 2px; }
.row.over .bar { background: var(--over); } .row.under .bar { background: var(--under); } .row.exempt .bar { background: var(--out); }
.track .budget { position: absolute; top: -3px; bottom: -3px; border-left: 2px dashed var(--ink); }
.row .ms { text-align: right; font-variant-numeric: tabular-nums; font-weight: 600; }
.row.over .ms { color: var(--over); }
.more { color: var(--muted); margin: 12px 0 0; }
.offender { border-top: 1px solid var(--line); padding: 16px 0 6px; }
.offender:first-of-type { border-top: 0; padding-top: 6px; }
.offender .file { color: var(--muted); margin: 2px 0 0; }
.figures { margin: 6px 0 8px; }
.figures b.over { color: var(--over); }
.pill { display: inline-block; font-size: 11.5px; padding: 1px 8px; border-radius: 999px; border: 1px solid var(--line); color: var(--muted); margin-left: 8px; font-weight: 500; vertical-align: 2px; }
.timeline { width: 100%; height: auto; display: block; margin: 4px 0 10px; }
.timeline .lane { fill: var(--track); }
.timeline .block.over rect { fill: var(--over); } .timeline .block.under rect { fill: var(--under); }
.timeline .block.out-of-scope rect { fill: var(--out); }
.timeline .block text { fill: #fff; font: 600 12px system-ui, sans-serif; }
.timeline .axis, .timeline .tick { stroke: var(--muted); stroke-width: 1; }
.timeline .tick-label { fill: var(--muted); font: 11px system-ui, sans-serif; }
.timeline .budget-scale path { fill: none; stroke: var(--ink); stroke-width: 1.5; }
.timeline .budget-scale text { fill: var(--ink); font: 11px system-ui, sans-serif; }
table { border-collapse: collapse; width: 100%; }
th { text-align: left; font-weight: 600; color: var(--muted); font-size: 12px; border-bottom: 1px solid var(--line); padding: 6px 8px; }
td { border-bottom: 1px solid var(--line); padding: 7px 8px; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
/* Number columns take their content's width; the code location gets the rest. */
th.num, th.fit { width: 1%; white-space: nowrap; }
tr.over td.duration { color: var(--over); font-weight: 600; }
tr.out-of-scope td { color: var(--muted); }
.note { display: inline-block; color: var(--muted); font-size: 12.5px; margin-left: 6px; }
details summary { cursor: pointer; color: var(--muted); font-size: 12.5px; }
ol.frames { margin: 4px 0 0; padding-left: 22px; }
ol.frames li { margin: 1px 0; }
details.under-budget > summary { font-size: 14px; color: var(--ink); }
footer { color: var(--muted); font-size: 12px; text-align: center; }
/* Wide things scroll inside their box, never the page: a timeline stays readable at its own width. */
.scroll { overflow-x: auto; }
.scroll .timeline { min-width: 600px; }
td code { overflow-wrap: anywhere; }
@media (max-width: 720px) {
  .page { padding: 18px 10px 32px; }
  section { padding: 14px 12px; }
  .cards { grid-template-columns: repeat(2, minmax(0, 1fr)); }
  /* On a phone each ranked test takes two lines: its name, then its bar and figure. */
  .chart { grid-template-columns: 1fr 5rem; row-gap: 2px; }
  .chart .spacer { display: none; }
  .chart .axis-head { grid-column: 1; }
  .row .name { grid-column: 1 / -1; margin-top: 6px; }
}
`
