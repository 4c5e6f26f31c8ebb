import { useId } from 'react';

/** One coloured series of a grouped bar chart. */
export interface BarSeries {
  label: string;
  /** A CSS colour. */
  color: string;
  /** One value per group, aligned with `groups`. */
  values: number[];
}

interface BarChartProps {
  title: string;
  groups: string[];
  series: BarSeries[];
  /**
   * What every bar counts (`requests`, `audit records`), written over the value axis. One chart
   * has one unit: measures in different units go in charts of their own (small multiples), never
   * on one axis where their heights would be compared.
   */
  unit: string;
  testId?: string;
  /** Accessible summary; the chart is also described by a hidden table. */
  description?: string;
  /** Drawing size in SVG units (it scales to its container); smaller for small multiples. */
  width?: number;
  height?: number;
}

const MARGIN = { top: 26, right: 12, bottom: 56, left: 44 };

/**
 * A grouped bar chart drawn as inline SVG: groups on the x axis, one bar per series, value
 * labels on the bars, the unit over the value axis, a legend, and the same numbers in a visually
 * hidden table for screen readers.
 */
export function BarChart({
  title,
  groups,
  series,
  unit,
  testId,
  description,
  width: WIDTH = 960,
  height: HEIGHT = 320,
}: BarChartProps) {
  const titleId = useId();
  const max = Math.max(1, ...series.flatMap((item) => item.values));
  const ticks = niceTicks(max);
  const top = ticks.at(-1) ?? max;
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const groupWidth = plotWidth / Math.max(1, groups.length);
  const barWidth = Math.min(44, (groupWidth * 0.78) / Math.max(1, series.length));
  const y = (value: number) => MARGIN.top + plotHeight - (value / top) * plotHeight;

  return (
    <figure className="chart" data-testid={testId} data-unit={unit}>
      <figcaption id={titleId} className="chart-title">
        {title}
      </figcaption>
      <ul className="chart-legend">
        {series.map((item) => (
          <li key={item.label} className="legend-item">
            <span className="legend-swatch" style={{ background: item.color }} aria-hidden="true" />
            {item.label}
          </li>
        ))}
      </ul>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={titleId} className="chart-svg">
        <title>{title}</title>
        {description ? <desc>{description}</desc> : null}
        <text x={4} y={12} className="chart-unit" data-testid="chart-unit">
          {unit}
        </text>
        {ticks.map((tick) => (
          <g key={tick}>
            <line x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={y(tick)} y2={y(tick)} className="chart-grid" />
            <text x={MARGIN.left - 8} y={y(tick)} className="chart-tick" textAnchor="end" dominantBaseline="middle">
              {tick}
            </text>
          </g>
        ))}
        {groups.map((group, groupIndex) => {
          const groupX = MARGIN.left + groupIndex * groupWidth;
          const barsWidth = barWidth * series.length;
          return (
            <g key={group} data-group={group}>
              {series.map((item, seriesIndex) => {
                const value = item.values[groupIndex] ?? 0;
                const x = groupX + (groupWidth - barsWidth) / 2 + seriesIndex * barWidth;
                const barTop = y(value);
                return (
                  <g key={item.label}>
                    <rect
                      x={x + 2}
                      y={barTop}
                      width={barWidth - 4}
                      height={Math.max(0, MARGIN.top + plotHeight - barTop)}
                      rx={3}
                      fill={item.color}
                      data-testid="chart-bar"
                      data-series={item.label}
                      data-value={value}
                    >
                      <title>
                        {item.label}, {group}: {value}
                      </title>
                    </rect>
                    <text x={x + barWidth / 2} y={barTop - 5} className="chart-value" textAnchor="middle">
                      {value}
                    </text>
                  </g>
                );
              })}
              {wrap(group, Math.max(8, Math.floor(groupWidth / 7.5))).map((line, lineIndex) => (
                <text
                  key={line}
                  x={groupX + groupWidth / 2}
                  y={MARGIN.top + plotHeight + 18 + lineIndex * 15}
                  className="chart-label"
                  textAnchor="middle"
                >
                  {line}
                </text>
              ))}
            </g>
          );
        })}
        <line
          x1={MARGIN.left}
          x2={WIDTH - MARGIN.right}
          y1={MARGIN.top + plotHeight}
          y2={MARGIN.top + plotHeight}
          className="chart-axis"
        />
      </svg>
      <table className="sr-only">
        <caption>
          {title} ({unit})
        </caption>
        <thead>
          <tr>
            <th scope="col">Group</th>
            {series.map((item) => (
              <th key={item.label} scope="col">
                {item.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {groups.map((group, groupIndex) => (
            <tr key={group}>
              <th scope="row">{group}</th>
              {series.map((item) => (
                <td key={item.label}>{item.values[groupIndex] ?? 0}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

/** Round tick values from 0 to at least `max` (1, 2 or 5 × 10ⁿ steps, about five of them). */
export function niceTicks(max: number): number[] {
  const rough = max / 5;
  const magnitude = 10 ** Math.floor(Math.log10(rough || 1));
  const step = [1, 2, 5, 10].map((factor) => factor * magnitude).find((candidate) => candidate >= rough) ?? magnitude;
  const wholeStep = Math.max(1, Math.round(step));
  const ticks: number[] = [];
  for (let value = 0; value < max + wholeStep; value += wholeStep) {
    ticks.push(value);
    if (value >= max) break;
  }
  return ticks;
}

// Category labels wrap to two lines at most, so long thread titles stay under their bars.
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && `${line} ${word}`.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  if (lines.length <= 2) return lines;
  return [lines[0] ?? '', `${(lines[1] ?? '').slice(0, width - 1)}…`];
}
