// Small inline-SVG line charts (sparklines) from the samples the page keeps between refreshes.
// `sparklineGeometry` is pure (testable without a DOM); `renderSparkline` builds the element.

const svgNs = 'http://www.w3.org/2000/svg';
export const chartWidth = 200;
export const chartHeight = 40;
const pad = 3;

/**
 * Points for samples `[{ t, v }]` (v null = no data: the line breaks there) over the time span
 * `[from, to]`. The y axis runs from 0 to `max` (at least `minMax`, so a flat quiet line stays low).
 */
export function sparklineGeometry(samples, { from, to, minMax = 1 } = {}) {
  const known = samples.filter((s) => typeof s.v === 'number' && Number.isFinite(s.v));
  const max = Math.max(minMax, ...known.map((s) => s.v));
  const start = from ?? (samples.length ? samples[0].t : 0);
  const end = to ?? (samples.length ? samples[samples.length - 1].t : 1);
  const span = Math.max(1, end - start);
  const x = (t) => pad + ((t - start) / span) * (chartWidth - 2 * pad);
  const y = (v) => chartHeight - pad - (v / max) * (chartHeight - 2 * pad);
  const segments = [];
  let current = [];
  for (const sample of samples) {
    if (typeof sample.v !== 'number' || !Number.isFinite(sample.v)) {
      if (current.length) segments.push(current);
      current = [];
      continue;
    }
    current.push([round(x(sample.t)), round(y(sample.v))]);
  }
  if (current.length) segments.push(current);
  return { max, segments, baseline: chartHeight - pad };
}

const round = (n) => Math.round(n * 10) / 10;

/** An <svg> with one polyline (and a light area) per unbroken run of samples. */
export function renderSparkline(document, samples, { label, kind, from, to, minMax, emptyText = 'belum ada data' }) {
  const svg = document.createElementNS(svgNs, 'svg');
  svg.setAttribute('viewBox', `0 0 ${chartWidth} ${chartHeight}`);
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.setAttribute('class', kind);
  const title = document.createElementNS(svgNs, 'title');
  title.textContent = label;
  svg.append(title);
  const { segments, baseline } = sparklineGeometry(samples, { from, to, minMax });
  if (!segments.length) {
    const text = document.createElementNS(svgNs, 'text');
    text.setAttribute('x', String(chartWidth / 2));
    text.setAttribute('y', String(chartHeight / 2 + 3));
    text.setAttribute('text-anchor', 'middle');
    text.setAttribute('class', 'nodata');
    text.textContent = emptyText;
    svg.append(text);
    return svg;
  }
  for (const points of segments) {
    const drawn = points.length === 1 ? [points[0], [points[0][0] + 1.5, points[0][1]]] : points;
    const area = document.createElementNS(svgNs, 'polygon');
    area.setAttribute('class', 'area');
    area.setAttribute('points', [[drawn[0][0], baseline], ...drawn, [drawn[drawn.length - 1][0], baseline]].map((p) => p.join(',')).join(' '));
    const line = document.createElementNS(svgNs, 'polyline');
    line.setAttribute('class', 'line');
    line.setAttribute('points', drawn.map((p) => p.join(',')).join(' '));
    svg.append(area, line);
  }
  return svg;
}
