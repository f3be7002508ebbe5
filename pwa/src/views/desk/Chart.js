// A chart and the table that says the same: ECharts draws into a box screen readers skip (aria-hidden), the table
// beside it is for them (visually hidden) or for anyone who asks for the numbers (the toggle shows it instead).
// ECharts comes in a chunk of its own, fetched when the first chart is drawn, after the numbers are on screen.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../../lib/html.js';
import { t } from '../../i18n/index.js';

let echartsChunk = null;
const loadCharts = () => (echartsChunk ||= import('../../lib/desk-echarts.js').catch((error) => { echartsChunk = null; throw error; }));

function useChart(option) {
  const box = useRef(null);
  const chart = useRef(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    loadCharts().then(
      ({ drawChart }) => {
        if (!live || !box.current) return;
        if (chart.current) chart.current.update(option);
        else chart.current = drawChart(box.current, option);
      },
      () => live && setFailed(true),
    );
    return () => { live = false; };
  }, [option]);
  useEffect(() => () => chart.current?.dispose(), []);
  return { box, failed };
}

/**
 * `option` is the ECharts option (lib/desk-stats.js), `table` the same numbers as {caption, head: [..], rows: [[..]]};
 * `testid` names the chart's box (its table is `${testid}-table`).
 */
export function Chart({ option, table, height = 260, testid, note }) {
  const [asTable, setAsTable] = useState(false);
  const { box, failed } = useChart(option);
  const empty = table.rows.length === 0;
  return html`<div class="chart">
    <div class="chart-tools">
      ${note && html`<span class="meta">${note}</span>`}
      <button type="button" class="btn small ghost" aria-pressed=${asTable} data-testid=${`${testid}-toggle`}
        onClick=${() => setAsTable(!asTable)}>${asTable ? t('chart_show_chart') : t('chart_show_table')}</button>
    </div>
    ${empty && html`<p class="empty">${t('chart_empty')}</p>`}
    ${!empty && failed && !asTable && html`<p class="meta" role="status">${t('chart_failed')}</p>`}
    <div class="chart-box" ref=${box} aria-hidden="true" data-testid=${testid} hidden=${asTable || empty || failed}
      style=${`height: ${height}px`}></div>
    <div class=${asTable || failed ? 'table-scroll' : 'sr-only'}>
      <table class="grid-table chart-table" data-testid=${`${testid}-table`}>
        <caption>${table.caption}</caption>
        <thead><tr>${table.head.map((h, i) => html`<th scope="col" class=${i ? 'num' : ''}>${h}</th>`)}</tr></thead>
        <tbody>${table.rows.map((row) => html`<tr>${row.map((cell, i) => (i
          ? html`<td class="num" data-label=${table.head[i]}>${cell}</td>`
          : html`<th scope="row" data-label=${table.head[0]}>${cell}</th>`))}</tr>`)}</tbody>
      </table>
    </div>
  </div>`;
}
