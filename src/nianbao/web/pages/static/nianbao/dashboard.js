// The dashboard's chart, drawn by the bundled ECharts from the data the page carries.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("dashboard-chart").textContent);
  var chart = echarts.init(document.getElementById("chart"));
  chart.setOption({
    tooltip: {trigger: "axis"},
    legend: {data: ["本年新收申请", "公开率"]},
    grid: {left: 60, right: 60, bottom: 70},
    xAxis: {type: "category", data: data.labels, axisLabel: {rotate: data.labels.length > 8 ? 30 : 0}},
    yAxis: [
      {type: "value", name: "件"},
      {type: "value", name: "公开率", min: 0, max: 1, axisLabel: {formatter: function (v) { return Math.round(v * 100) + "%"; }}}
    ],
    series: [
      {name: "本年新收申请", type: "bar", data: data.received, itemStyle: {color: "#1d5fa8"}},
      {name: "公开率", type: "line", yAxisIndex: 1, data: data.disclosure, itemStyle: {color: "#9e1b1b"}}
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
