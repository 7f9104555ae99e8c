import { formatDuration } from '../../../shared/format/cells.ts';

const SHOWN = 40;
const BAR = 14;
const GAP = 10;
const LABEL_WIDTH = 220;
const WIDTH = 720;

export interface ChartPoint {
  agent: string;
  day: string;
  loggedInMs: number;
  breakMs: number;
}

/** Logged-in time and, inside it, break time, per agent and day: one horizontal bar each. */
export function SummaryChart(props: {
  points: ChartPoint[];
  title: string;
  loggedInLabel: string;
  breakLabel: string;
  moreText: (shown: number, total: number) => string;
}) {
  const points = props.points.slice(0, SHOWN);
  const longest = Math.max(1, ...points.map((point) => point.loggedInMs));
  const scale = (ms: number) => ((WIDTH - LABEL_WIDTH - 80) * ms) / longest;
  const height = points.length * (BAR + GAP) + GAP;
  return (
    <figure className="chart">
      <figcaption>
        {props.title}
        <span className="legend">
          <span className="swatch swatch-login" aria-hidden="true" /> {props.loggedInLabel}
          <span className="swatch swatch-break" aria-hidden="true" /> {props.breakLabel}
        </span>
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={props.title}>
        {points.map((point, index) => {
          const y = GAP + index * (BAR + GAP);
          const label = `${point.agent} ${point.day}`;
          return (
            <g key={label}>
              <title>{`${label}: ${props.loggedInLabel} ${formatDuration(point.loggedInMs)}, ${props.breakLabel} ${formatDuration(point.breakMs)}`}</title>
              <text x={LABEL_WIDTH - 8} y={y + BAR - 3} textAnchor="end">
                {label}
              </text>
              <rect
                className="bar-login"
                x={LABEL_WIDTH}
                y={y}
                width={scale(point.loggedInMs)}
                height={BAR}
              />
              <rect className="bar-break" x={LABEL_WIDTH} y={y} width={scale(point.breakMs)} height={BAR} />
              <text x={LABEL_WIDTH + scale(point.loggedInMs) + 6} y={y + BAR - 3}>
                {formatDuration(point.loggedInMs)}
              </text>
            </g>
          );
        })}
      </svg>
      {props.points.length > SHOWN && <p className="hint">{props.moreText(SHOWN, props.points.length)}</p>}
    </figure>
  );
}
