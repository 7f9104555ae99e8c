import type { BarsChartData } from '../../../shared/reports/chart.ts';

const BAR = 14;
const GAP = 10;
const LABEL_WIDTH = 220;
const WIDTH = 720;

/**
 * A report's declared `bars` chart, as the worker computed it: one horizontal bar per row, with
 * its `part` (break time inside logged-in time, say) drawn over it. Knows no report.
 */
export function BarChart(props: { chart: BarsChartData }) {
  const { chart } = props;
  const longest = Math.max(1, ...chart.bars.map((bar) => bar.value));
  const scale = (value: number) => ((WIDTH - LABEL_WIDTH - 80) * Math.max(0, value)) / longest;
  const height = chart.bars.length * (BAR + GAP) + GAP;
  return (
    <figure className="chart">
      <figcaption>
        {chart.title}
        <span className="legend">
          <span className="swatch swatch-login" aria-hidden="true" /> {chart.restLabel ?? chart.valueLabel}
          {chart.partLabel !== undefined && (
            <>
              <span className="swatch swatch-break" aria-hidden="true" /> {chart.partLabel}
            </>
          )}
        </span>
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={chart.title}>
        {chart.bars.map((bar, index) => {
          const y = GAP + index * (BAR + GAP);
          const part =
            chart.partLabel !== undefined && bar.partText !== undefined
              ? `, ${chart.partLabel} ${bar.partText}`
              : '';
          return (
            // Labels may repeat (two agents with one name); the position is the bar's identity.
            // biome-ignore lint/suspicious/noArrayIndexKey: the bars are redrawn whole for each run
            <g key={index}>
              <title>{`${bar.label}: ${chart.valueLabel} ${bar.valueText}${part}`}</title>
              <text x={LABEL_WIDTH - 8} y={y + BAR - 3} textAnchor="end">
                {bar.label}
              </text>
              <rect className="bar-login" x={LABEL_WIDTH} y={y} width={scale(bar.value)} height={BAR} />
              {bar.part !== undefined && (
                <rect className="bar-break" x={LABEL_WIDTH} y={y} width={scale(bar.part)} height={BAR} />
              )}
              <text x={LABEL_WIDTH + scale(bar.value) + 6} y={y + BAR - 3}>
                {bar.valueText}
              </text>
            </g>
          );
        })}
      </svg>
      {chart.moreText !== undefined && <p className="hint">{chart.moreText}</p>}
    </figure>
  );
}
