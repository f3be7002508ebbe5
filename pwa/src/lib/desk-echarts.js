// ECharts for the dashboard, only the parts it draws with (bars, lines, their axes, tooltip and legend, the SVG
// renderer): a chunk of its own, loaded by views/desk/Chart.js when a chart is first drawn.
import { init, use } from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

/** Draws `option` into `box` and redraws at the box's new size; {update(option), dispose()}. */
export function drawChart(box, option) {
  const chart = init(box, null, { renderer: 'svg', locale: 'ZH' });
  chart.setOption(option);
  const resized = typeof ResizeObserver === 'function' ? new ResizeObserver(() => chart.resize()) : null;
  resized?.observe(box);
  return {
    update: (next) => chart.setOption(next, true),
    dispose: () => {
      resized?.disconnect();
      chart.dispose();
    },
  };
}
