// The live funnel: an ECharts funnel of the open path (lost apart) and a table of the figures.
import { formatMoney, formatPercent, formatTime, stageLabel, t } from './i18n.js';

const COLORS = ['#2f6fed', '#3f86f0', '#52a0f2', '#67b8ee', '#7fcfe0', '#2fb57c', '#c8ccd4'];

export class FunnelView {
  constructor(chartElement, rowsElement, totals) {
    this.chartElement = chartElement;
    this.rows = rowsElement;
    this.totals = totals;
    this.chart = null;
    window.addEventListener('resize', () => this.chart?.resize());
  }

  /** Draws a funnel figure (as GET /api/v1/funnel and the funnel stream send it); null draws an empty one. */
  show(figure) {
    const stages = figure?.stages ?? [];
    this.drawChart(stages.filter((stage) => stage.stage !== 'LOST'));
    this.rows.replaceChildren(...stages.map((stage) => row(stage)));
    const total = stages.reduce((sum, stage) => sum + Number(stage.count || 0), 0);
    this.totals.total.textContent = total;
    this.totals.won.textContent = figure?.won ?? 0;
    this.totals.lost.textContent = figure?.lost ?? 0;
    this.totals.updated.textContent = formatTime(figure?.updatedAt);
    this.chartElement.dataset.total = String(total);
  }

  drawChart(stages) {
    if (!window.echarts) return; // charts load deferred; the table already shows the figures
    this.chart ??= window.echarts.init(this.chartElement, null, { renderer: 'svg' });
    this.chart.setOption({
      color: COLORS,
      tooltip: {
        trigger: 'item',
        formatter: (p) => `${p.name}<br>${t('count')}: ${p.value}<br>${t('amount')}: ${formatMoney(p.data.amount)}`,
      },
      series: [{
        type: 'funnel',
        sort: 'none',
        left: '5%', width: '90%', top: 8, bottom: 8,
        minSize: '12%', gap: 2,
        label: { show: true, position: 'inside', formatter: (p) => `${p.name}  ${p.value}` },
        data: stages.map((stage) => ({ name: stageLabel(stage.stage), value: Number(stage.count || 0),
                                       amount: stage.amount })),
      }],
    }, true);
  }
}

function row(stage) {
  const tr = document.createElement('tr');
  tr.dataset.stage = stage.stage;
  const cells = [stageLabel(stage.stage), stage.count ?? 0, formatMoney(stage.amount),
                 formatMoney(stage.weightedAmount), formatPercent(stage.conversionRate)];
  cells.forEach((value, i) => {
    const td = document.createElement('td');
    td.textContent = value;
    if (i > 0) td.className = 'num';
    if (i === 1) td.dataset.count = String(stage.count ?? 0);
    tr.append(td);
  });
  return tr;
}
