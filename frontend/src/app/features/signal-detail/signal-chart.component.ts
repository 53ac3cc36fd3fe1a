import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  effect,
  ElementRef,
  inject,
  input,
  signal,
  viewChild,
} from '@angular/core';
import type { CandlesResponse, Signal, SignalHistoryEntry } from '@scanner/contracts';
import {
  CandlestickSeries,
  createChart,
  createSeriesMarkers,
  createTextWatermark,
  HistogramSeries,
  LineSeries,
  LineStyle,
  type IChartApi,
  type IPriceLine,
  type ISeriesApi,
  type ISeriesMarkersPluginApi,
  type ITextWatermarkPluginApi,
  type SeriesType,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import { ThemeService } from '@app/core/theme/theme.service';
import { priceLevels, toBars, toLine, toMarkers } from './chart-data';

interface Palette {
  bg: string;
  text: string;
  grid: string;
  long: string;
  short: string;
  warn: string;
  accent: string;
  muted: string;
}

const EMAS = [
  { key: 'ema9', color: '#facc15' },
  { key: 'ema21', color: '#fb923c' },
  { key: 'ema50', color: '#38bdf8' },
  { key: 'ema200', color: '#c084fc' },
] as const;

/** Share of the chart's height per pane: price, RSI, MACD (lightweight-charts stretch factors). */
export const PANE_STRETCH = [0.56, 0.2, 0.24] as const;
/** The label drawn in each pane's top-left corner. */
export const PANE_LABELS = [
  'Price · EMA · Bollinger',
  'RSI 14 · 30 / 70',
  'MACD 12/26/9 · signal · histogram',
];

/** Candles with EMA and Bollinger overlays, entry/SL/TP lines, event markers, and RSI + MACD panes. */
@Component({
  selector: 'app-signal-chart',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    '[attr.data-price-lines]': 'priceLineCount()',
    '[attr.data-bars]': 'barCount()',
    '[attr.data-pane-heights]': 'paneHeights().join(",")',
    '[attr.data-pane-labels]': 'paneLabels.join("|")',
    'data-testid': 'signal-chart',
  },
  template: `
    <div class="legend" aria-hidden="true">
      <span style="color:#facc15">EMA 9</span><span style="color:#fb923c">EMA 21</span
      ><span style="color:#38bdf8">EMA 50</span> <span style="color:#c084fc">EMA 200</span
      ><span class="muted">Bollinger 20, 2</span>
      <span class="muted">panes below: RSI 14 (30 / 70) · MACD 12/26/9</span>
    </div>
    <div #host class="chart" role="img" [attr.aria-label]="ariaLabel()"></div>
  `,
  styles: `
    :host {
      display: block;
    }
    .legend {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem 0.75rem;
      font-size: 0.75rem;
      margin-bottom: 0.25rem;
    }
    /* Tall enough that the indicator panes stay readable (each gets at least ~90 px, see PANE_STRETCH). */
    .chart {
      height: clamp(480px, 72vh, 820px);
      width: 100%;
    }
  `,
})
export class SignalChartComponent {
  readonly candles = input.required<CandlesResponse>();
  readonly signal = input.required<Signal>();
  readonly events = input<readonly SignalHistoryEntry[]>([]);
  readonly decimals = input(2);

  private readonly hostRef = viewChild.required<ElementRef<HTMLDivElement>>('host');
  private readonly theme = inject(ThemeService);
  protected readonly priceLineCount = signal(0);
  protected readonly barCount = signal(0);
  /** Pane heights in px as laid out, for tests and for the record (updated on resize). */
  protected readonly paneHeights = signal<number[]>([]);
  protected readonly paneLabels = PANE_LABELS;
  protected readonly ariaLabel = () =>
    `Candlestick chart of ${this.signal().symbol} ${this.signal().timeframe} with entry, stop and target lines`;

  private chart: IChartApi | null = null;
  private readonly ready = signal(false);
  private main!: ISeriesApi<'Candlestick'>;
  private overlays = new Map<string, ISeriesApi<SeriesType>>();
  private markers!: ISeriesMarkersPluginApi<Time>;
  private lines: IPriceLine[] = [];
  private watermarks: ITextWatermarkPluginApi<Time>[] = [];
  private disconnect: () => void = () => undefined;

  constructor() {
    afterNextRender(() => {
      this.create();
      this.ready.set(true);
    });
    inject(DestroyRef).onDestroy(() => {
      this.disconnect();
      this.chart?.remove();
    });
    effect(() => {
      this.theme.theme();
      if (this.ready()) this.applyTheme();
    });
    effect(() => {
      if (this.ready()) this.setData(this.candles(), this.signal(), this.events());
    });
    effect(() => {
      if (this.ready()) this.setLevels(this.signal(), this.decimals());
    });
  }

  private create(): void {
    const chart = createChart(this.hostRef().nativeElement, {
      autoSize: true,
      timeScale: { timeVisible: true, secondsVisible: false },
      rightPriceScale: { borderVisible: false },
      crosshair: { mode: 0 },
    });
    this.chart = chart;
    this.main = chart.addSeries(CandlestickSeries, { borderVisible: false });
    const overlay = (key: string, color: string, style: LineStyle = LineStyle.Solid, pane = 0) =>
      this.overlays.set(
        key,
        chart.addSeries(
          LineSeries,
          {
            color,
            lineWidth: 1,
            lineStyle: style,
            priceLineVisible: false,
            lastValueVisible: false,
            crosshairMarkerVisible: false,
          },
          pane,
        ),
      );
    for (const ema of EMAS) overlay(ema.key, ema.color);
    overlay('bbUpper', '#64748b', LineStyle.Dotted);
    overlay('bbMiddle', '#64748b', LineStyle.Dashed);
    overlay('bbLower', '#64748b', LineStyle.Dotted);
    overlay('rsi', '#a78bfa', LineStyle.Solid, 1);
    this.overlays.set(
      'macdHistogram',
      chart.addSeries(HistogramSeries, { priceLineVisible: false, lastValueVisible: false }, 2),
    );
    overlay('macd', '#38bdf8', LineStyle.Solid, 2);
    overlay('macdSignal', '#fb923c', LineStyle.Solid, 2);
    const rsi = this.overlays.get('rsi') as ISeriesApi<'Line'>;
    rsi.createPriceLine({
      price: 70,
      color: '#64748b',
      lineStyle: LineStyle.Dotted,
      lineWidth: 1,
      axisLabelVisible: false,
      title: '',
    });
    rsi.createPriceLine({
      price: 30,
      color: '#64748b',
      lineStyle: LineStyle.Dotted,
      lineWidth: 1,
      axisLabelVisible: false,
      title: '',
    });
    this.markers = createSeriesMarkers(this.main, []);
    // Stretch factors, not pixel heights: a height set before the first layout is lost when autoSize
    // sizes the chart, which left the RSI pane a few pixels tall.
    chart.panes().forEach((pane, i) => pane.setStretchFactor(PANE_STRETCH[i] ?? 0.2));
    this.watermarks = chart.panes().map((pane, i) =>
      createTextWatermark(pane, {
        horzAlign: 'left',
        vertAlign: 'top',
        lines: [{ text: PANE_LABELS[i] ?? '', fontSize: 12, color: 'rgba(148, 163, 184, 0.9)' }],
      }),
    );
    if (typeof ResizeObserver !== 'undefined') {
      const observer = new ResizeObserver(() => requestAnimationFrame(() => this.measurePanes()));
      observer.observe(this.hostRef().nativeElement);
      this.disconnect = () => observer.disconnect();
    }
    this.applyTheme();
  }

  private measurePanes(): void {
    const heights = this.chart?.panes().map((pane) => pane.getHeight()) ?? [];
    const current = this.paneHeights();
    if (heights.length !== current.length || heights.some((h, i) => h !== current[i]))
      this.paneHeights.set(heights);
  }

  private palette(): Palette {
    const css = getComputedStyle(this.hostRef().nativeElement);
    const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
    return {
      bg: v('--surface', '#111a2e'),
      text: v('--muted', '#94a3b8'),
      grid: v('--border', '#1f2a44'),
      long: v('--long', '#22c55e'),
      short: v('--short', '#ef4444'),
      warn: v('--warn', '#f59e0b'),
      accent: v('--accent', '#3b82f6'),
      muted: v('--muted', '#94a3b8'),
    };
  }

  private applyTheme(): void {
    if (!this.chart) return;
    const p = this.palette();
    this.chart.applyOptions({
      layout: { background: { color: p.bg }, textColor: p.text, panes: { separatorColor: p.grid } },
      grid: { vertLines: { color: p.grid }, horzLines: { color: p.grid } },
    });
    for (const [i, watermark] of this.watermarks.entries())
      watermark.applyOptions({ lines: [{ text: PANE_LABELS[i] ?? '', fontSize: 12, color: p.muted }] });
    this.main.applyOptions({
      upColor: p.long,
      downColor: p.short,
      wickUpColor: p.long,
      wickDownColor: p.short,
    });
    this.setLevels(this.signal(), this.decimals());
  }

  private setData(response: CandlesResponse, signal: Signal, events: readonly SignalHistoryEntry[]): void {
    const bars = toBars(response.candles);
    this.main.setData(bars.map((b) => ({ ...b, time: b.time as UTCTimestamp })));
    for (const [key, series] of this.overlays) {
      const points = toLine(response, key as Parameters<typeof toLine>[1]).map((p) => ({
        ...p,
        time: p.time as UTCTimestamp,
      }));
      if (key === 'macdHistogram') {
        const p = this.palette();
        series.setData(
          points.map((pt) =>
            pt.value === undefined ? pt : { ...pt, color: pt.value >= 0 ? p.long : p.short },
          ),
        );
      } else {
        series.setData(points);
      }
    }
    const p = this.palette();
    this.markers.setMarkers(
      toMarkers(bars, signal, events).map((m) => ({
        time: m.time as UTCTimestamp,
        position: m.kind === 'closed' ? 'aboveBar' : 'belowBar',
        shape:
          m.kind === 'created'
            ? signal.direction === 'LONG'
              ? 'arrowUp'
              : 'arrowDown'
            : m.kind === 'closed'
              ? 'square'
              : 'circle',
        color: m.kind === 'created' ? p.accent : m.kind === 'closed' ? p.warn : p.muted,
        text: m.text,
      })),
    );
    this.barCount.set(bars.length);
    requestAnimationFrame(() => this.measurePanes());
  }

  private setLevels(signal: Signal, decimals: number): void {
    if (!this.chart) return;
    for (const line of this.lines) this.main.removePriceLine(line);
    const p = this.palette();
    const colors = { entry: p.accent, stop: p.short, target: p.long };
    this.main.applyOptions({ priceFormat: { type: 'price', precision: decimals, minMove: 10 ** -decimals } });
    this.lines = priceLevels(signal).map((level) =>
      this.main.createPriceLine({
        price: level.price,
        color: colors[level.role],
        lineWidth: 2,
        lineStyle: LineStyle.Dashed,
        axisLabelVisible: true,
        title: level.title,
      }),
    );
    this.priceLineCount.set(this.lines.length);
  }
}
