// Charts, drawn by uPlot, which loads only when a page shows a chart (it is not part of the first page).
// kind "line": series of [x, y] points joined in x order; "points": the same, unjoined; "bars": a histogram
// with `edges` (k+1) and `counts` (k).
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';

let uplotModule = null;
function loadUplot() {
  if (!uplotModule) uplotModule = import('uplot').then((m) => m.default);
  return uplotModule;
}

const palette = ['#2f6fdf', '#d9480f', '#2b8a3e', '#862e9c', '#e67700', '#0b7285'];

function unionX(series) {
  const xs = new Set();
  for (const s of series) for (const [x] of s.points) xs.add(x);
  return [...xs].sort((a, b) => a - b);
}

// uPlot needs one ascending x array shared by every series; gaps are null.
function toData(series) {
  const xs = unionX(series);
  const index = new Map(xs.map((x, i) => [x, i]));
  const ys = series.map((s) => {
    const y = new Array(xs.length).fill(null);
    for (const [x, v] of s.points) y[index.get(x)] = v;
    return y;
  });
  return [xs, ...ys];
}

export function Chart({ kind = 'line', series = [], edges, counts, xLabel = '', yLabel = '', title, height = 260,
                        xValues, unit = false }) {
  const box = useRef(null);
  const [failed, setFailed] = useState(null);
  useEffect(() => {
    let plot = null;
    let cancelled = false;
    loadUplot().then((uPlot) => {
      if (cancelled || !box.current) return;
      const width = Math.max(260, box.current.clientWidth || 480);
      let data;
      let seriesOpts;
      if (kind === 'bars') {
        const mids = counts.map((_, i) => (edges[i] + edges[i + 1]) / 2);
        data = [mids, counts];
        seriesOpts = [{ label: yLabel || 'count', fill: 'rgba(47,111,223,0.35)', stroke: palette[0],
                        paths: uPlot.paths.bars({ size: [0.95, 100] }), points: { show: false } }];
      } else {
        data = toData(series);
        seriesOpts = series.map((s, i) => ({
          label: s.label, stroke: palette[i % palette.length], width: 2, spanGaps: kind === 'line',
          paths: kind === 'points' ? () => null : undefined,
          points: { show: kind === 'points' || data[0].length <= 30, size: kind === 'points' ? 7 : 5,
                    fill: palette[i % palette.length] },
        }));
      }
      const opts = {
        width, height, title,
        // unit: both axes are rates from 0 to 1 (ROC and precision-recall curves).
        scales: unit ? { x: { time: false, range: [0, 1] }, y: { range: [0, 1] } } : { x: { time: false } },
        axes: [
          { label: xLabel, values: xValues ? (u, splits) => splits.map(xValues) : undefined },
          { label: yLabel },
        ],
        series: [{ label: xLabel || 'x', value: xValues ? (u, v) => (v === null ? '' : xValues(v)) : undefined },
                 ...seriesOpts],
        legend: { show: true },
      };
      plot = new uPlot(opts, data, box.current);
    }).catch((e) => setFailed(e));
    return () => {
      cancelled = true;
      if (plot) plot.destroy();
    };
  }, [kind, JSON.stringify(series), JSON.stringify(counts), xLabel, yLabel, height]);
  if (failed) return html`<p class="error">The chart could not be drawn: ${failed.message}</p>`;
  return html`<figure class="chart"><div ref=${box} class="chart-box" role="img"
    aria-label=${title || yLabel + ' by ' + xLabel}></div></figure>`;
}
