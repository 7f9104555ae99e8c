import { useState } from 'react';
import type { Locale } from '../../../shared/i18n.ts';
import { type DaysChartData, formatCount } from '../../../shared/reports/chart.ts';

const WIDTH = 720;
const HEIGHT = 240;
const LEFT = 56;
const RIGHT = 12;
const TOP = 12;
const BOTTOM = 40;
/** At most this many day labels under the axis; the others are in the tooltips and the table. */
const MAX_AXIS_LABELS = 6;
/** How many series have a colour of their own (styles.css `.series-0`…); more reuse them. */
const SERIES_COLOURS = 4;

/**
 * The top of the value axis: twice a round step (1, 2 or 5 times a power of ten) that reaches
 * the highest value, so the three grid lines (0, step, top) read as whole, distinct numbers.
 */
function axisTop(highest: number): number {
  const half = Math.max(1, highest / 2);
  const power = 10 ** Math.floor(Math.log10(half));
  const step = [1, 2, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= half)!;
  return 2 * step;
}

/** Over its day, but kept inside the chart near either edge. */
function tooltipPlace(fraction: number): { left: string; transform: string } {
  const shift = fraction < 0.25 ? '-10%' : fraction > 0.75 ? '-90%' : '-50%';
  return { left: `${fraction * 100}%`, transform: `translateX(${shift})` };
}

/**
 * A report's declared `days` chart, as the worker computed it: one group of bars per day, a bar
 * per series. Each day is focusable and shows its numbers in a tooltip on focus or hover; the
 * same numbers are in a table behind the chart for screen readers. Knows no report.
 */
export function DaysChart(props: { chart: DaysChartData; locale: Locale; tableCaption: string }) {
  const { chart } = props;
  const [active, setActive] = useState<number>();
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const top = axisTop(Math.max(0, ...chart.days.flatMap((day) => day.values)));
  const slot = plotWidth / Math.max(1, chart.days.length);
  const bar = Math.max(1, (slot * 0.8) / Math.max(1, chart.seriesLabels.length));
  const y = (value: number) => TOP + plotHeight - (plotHeight * Math.max(0, value)) / top;
  const labelEvery = Math.ceil(chart.days.length / MAX_AXIS_LABELS);
  const dayText = (index: number) => {
    const day = chart.days[index]!;
    return `${day.label}: ${chart.seriesLabels.map((label, at) => `${label} ${day.texts[at]}`).join(', ')}`;
  };
  const shown = active === undefined ? undefined : chart.days[active];
  return (
    <figure className="chart days-chart" data-testid="days-chart">
      <figcaption>
        {chart.title}
        <span className="legend">
          {chart.seriesLabels.map((label, at) => (
            <span key={label}>
              <span className={`swatch series-${at % SERIES_COLOURS}`} aria-hidden="true" /> {label}
            </span>
          ))}
        </span>
      </figcaption>
      <div className="days-chart-plot">
        {/* biome-ignore lint/a11y/useSemanticElements: an SVG cannot be a fieldset; the group names its days */}
        <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="group" aria-label={chart.title}>
          {[0, 0.5, 1].map((fraction) => (
            <g key={fraction}>
              <line
                className="grid"
                x1={LEFT}
                x2={WIDTH - RIGHT}
                y1={y(top * fraction)}
                y2={y(top * fraction)}
              />
              <text x={LEFT - 6} y={y(top * fraction) + 4} textAnchor="end">
                {formatCount(top * fraction, props.locale)}
              </text>
            </g>
          ))}
          {chart.days.map((day, index) => {
            const x = LEFT + index * slot;
            return (
              // biome-ignore lint/a11y/noInteractiveElementToNoninteractiveRole: a day is focusable to show its tooltip, and read as one image with its numbers
              <g
                // Days are unique in a result; the position keeps two equal labels apart anyway.
                // biome-ignore lint/suspicious/noArrayIndexKey: the days are redrawn whole for each run
                key={index}
                className="day"
                role="img"
                tabIndex={0}
                aria-label={dayText(index)}
                data-testid="chart-day"
                onFocus={() => setActive(index)}
                onBlur={() => setActive((was) => (was === index ? undefined : was))}
                onMouseEnter={() => setActive(index)}
                onMouseLeave={() => setActive((was) => (was === index ? undefined : was))}
              >
                {/* The whole slot takes the pointer, so a day with tiny bars is still easy to hover. */}
                <rect className="day-hit" x={x} y={TOP} width={slot} height={plotHeight} />
                {day.values.map((value, at) => (
                  <rect
                    // biome-ignore lint/suspicious/noArrayIndexKey: one bar per series, in the series' order
                    key={at}
                    className={`series-${at % SERIES_COLOURS}`}
                    x={x + slot * 0.1 + at * bar}
                    y={y(value)}
                    width={bar}
                    height={TOP + plotHeight - y(value)}
                  />
                ))}
                {index % labelEvery === 0 && (
                  <text x={x + slot / 2} y={HEIGHT - BOTTOM + 16} textAnchor="middle">
                    {day.label}
                  </text>
                )}
              </g>
            );
          })}
          <line className="axis" x1={LEFT} x2={WIDTH - RIGHT} y1={TOP + plotHeight} y2={TOP + plotHeight} />
        </svg>
        {shown && active !== undefined && (
          <div
            className="chart-tooltip"
            // The focused day's label already says this to screen readers.
            aria-hidden="true"
            data-testid="chart-tooltip"
            style={tooltipPlace((LEFT + (active + 0.5) * slot) / WIDTH)}
          >
            <strong>{shown.label}</strong>
            {chart.seriesLabels.map((label, at) => (
              <span key={label}>
                <span className={`swatch series-${at % SERIES_COLOURS}`} aria-hidden="true" /> {label}:{' '}
                {shown.texts[at]}
              </span>
            ))}
          </div>
        )}
      </div>
      <table className="visually-hidden" data-testid="chart-table">
        <caption>{props.tableCaption}</caption>
        <thead>
          <tr>
            <th scope="col">{chart.dayLabel}</th>
            {chart.seriesLabels.map((label) => (
              <th key={label} scope="col">
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {chart.days.map((day, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the days are redrawn whole for each run
            <tr key={index}>
              <th scope="row">{day.label}</th>
              {day.texts.map((text, at) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: one cell per series, in the series' order
                <td key={at}>{text}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
