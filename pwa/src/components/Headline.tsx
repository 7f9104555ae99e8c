import type { HeadlineData } from '../../../shared/reports/chart.ts';

/**
 * A report's declared headline, as the worker computed it from the period's total: the total
 * first, then each figure with its share of it. Knows no report.
 */
export function Headline(props: {
  headline: HeadlineData;
  title: string;
  share(share: string, of: string): string;
}) {
  const { headline } = props;
  return (
    <section className="headline" aria-label={props.title} data-testid="headline">
      <dl>
        <div className="figure total">
          <dt>{headline.of.label}</dt>
          <dd>
            <span className="value">{headline.of.valueText}</span>
          </dd>
        </div>
        {headline.figures.map((figure) => (
          <div key={figure.key} className="figure" data-testid={`headline-${figure.key}`}>
            <dt>{figure.label}</dt>
            <dd>
              <span className="value">{figure.valueText}</span>{' '}
              <span className="share">{props.share(figure.shareText, headline.of.label)}</span>
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
