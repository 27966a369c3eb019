import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

export interface PlotProps {
  /** x: seconds since the epoch; y: values (null = gap). */
  readonly xs: readonly number[];
  readonly ys: readonly (number | null)[];
  readonly label: string;
  readonly height?: number;
  /** Bars (counts per bucket) instead of a line. */
  readonly bars?: boolean;
  /** Called with the visible x range after a zoom (drag) or reset (double-click). */
  readonly onRange?: (min: number, max: number) => void;
}

/** A uPlot chart sized to its container; drag to zoom on x, double-click to reset. */
export function Plot(props: PlotProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const onRange = useRef(props.onRange);
  onRange.current = props.onRange;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const bars = props.bars ? uPlot.paths.bars?.({ size: [0.8, 40] }) : undefined;
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height: props.height ?? 260,
      series: [
        {},
        {
          label: props.label,
          stroke: '#1d6fd8',
          width: 1.5,
          fill: props.bars ? 'rgba(29,111,216,0.35)' : 'rgba(29,111,216,0.08)',
          points: { show: false },
          ...(bars ? { paths: bars } : {}),
        },
      ],
      axes: [{}, { size: 60 }],
      cursor: { drag: { x: true, y: false } },
      hooks: {
        setScale: [
          (u, key) => {
            if (key === 'x' && u.scales['x']?.min != null && u.scales['x'].max != null) {
              onRange.current?.(u.scales['x'].min, u.scales['x'].max);
            }
          },
        ],
      },
    };
    const u = new uPlot(opts, [[...props.xs], [...props.ys]] as uPlot.AlignedData, el);
    plot.current = u;
    const resize = new ResizeObserver(() =>
      u.setSize({ width: Math.max(200, el.clientWidth), height: opts.height }),
    );
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [props.label, props.bars, props.height]);

  useEffect(() => {
    plot.current?.setData([[...props.xs], [...props.ys]] as uPlot.AlignedData);
  }, [props.xs, props.ys]);

  return <div class="plot" ref={box} role="img" aria-label={`plot of ${props.label}`} />;
}
