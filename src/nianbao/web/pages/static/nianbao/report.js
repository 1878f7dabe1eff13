// The report page: a click on a cell shows how it was read (raw text, where in the source);
// a click on a finding marks the cells it names.
(function () {
  "use strict";
  var cells = JSON.parse(document.getElementById("report-cells").textContent);
  var names = JSON.parse(document.getElementById("status-names").textContent);
  var detail = document.getElementById("cell-detail");

  function clear() {
    document.querySelectorAll(".selected").forEach(function (node) { node.classList.remove("selected"); });
  }
  function show(id) {
    var cell = cells[id] || {status: "missing"};
    detail.hidden = false;
    detail.querySelector('[data-field="cell"]').textContent = id;
    detail.querySelector('[data-field="status"]').textContent = names[cell.status] || cell.status;
    detail.querySelector('[data-field="raw"]').textContent = cell.raw == null ? "—" : cell.raw;
    detail.querySelector('[data-field="where"]').textContent = cell.where || "—";
  }
  function mark(id) {
    var node = document.querySelector('td[data-cell="' + CSS.escape(id) + '"]');
    if (node) { node.classList.add("selected"); }
    return node;
  }
  document.querySelectorAll("td[data-cell]").forEach(function (node) {
    function pick() { clear(); node.classList.add("selected"); show(node.dataset.cell); }
    node.addEventListener("click", pick);
    node.addEventListener("keydown", function (event) { if (event.key === "Enter") { pick(); } });
  });
  document.querySelectorAll(".finding[data-cells]").forEach(function (node) {
    function pick() {
      clear();
      node.classList.add("selected");
      var ids = node.dataset.cells.split(" ").filter(Boolean);
      var first = null;
      ids.forEach(function (id) { var marked = mark(id); first = first || marked; });
      if (ids.length) { show(ids[0]); }
      if (first) { first.scrollIntoView({block: "center", behavior: "smooth"}); }
    }
    node.addEventListener("click", pick);
    node.addEventListener("keydown", function (event) { if (event.key === "Enter") { pick(); } });
  });
})();
