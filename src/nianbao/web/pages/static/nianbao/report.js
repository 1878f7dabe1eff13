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
    showInSource(id);
  }
  // The printed place of a cell in the original: a line, a table cell, or a box on a page image.
  var shown = null;
  function showInSource(id) {
    var pane = document.querySelector(".source-pane");
    var location = (cells[id] || {}).location;
    document.querySelectorAll(".source-mark").forEach(function (node) { node.classList.remove("source-mark"); });
    document.querySelectorAll(".source-box-mark").forEach(function (node) { node.remove(); });
    shown = id;
    if (!pane || !location) { return; }
    var target = null;
    if (location.table != null && location.row != null) {
      target = document.getElementById("src-t" + location.table + "-r" + location.row + "-c" + (location.col || 0));
    } else if (location.page != null && location.bbox) {
      target = boxOnPage(location.page, location.bbox);
    } else if (location.line != null) {
      target = document.getElementById("src-line-" + location.line);
    } else if (location.paragraph != null) {
      target = document.getElementById("src-p" + location.paragraph);
    }
    if (!target) { return; }
    target.classList.add("source-mark");
    var box = document.getElementById("source");
    var offset = target.getBoundingClientRect().top - box.getBoundingClientRect().top;
    box.scrollTop += offset - box.clientHeight / 3;
  }
  function boxOnPage(number, bbox) {
    var figure = document.getElementById("src-page-" + number);
    if (!figure) { return null; }
    var image = figure.querySelector("img");
    if (!image.complete || !image.clientWidth) {  // not loaded yet: draw the box once it is
      image.loading = "eager";
      var id = shown;
      image.addEventListener("load", function () { if (shown === id) { showInSource(id); } }, {once: true});
      return figure;
    }
    var scale = image.clientWidth / parseFloat(figure.dataset.width);
    var mark = document.createElement("div");
    mark.className = "source-box-mark";
    mark.style.left = (bbox[0] * scale - 3) + "px";
    mark.style.top = (bbox[1] * scale - 3) + "px";
    mark.style.width = ((bbox[2] - bbox[0]) * scale + 6) + "px";
    mark.style.height = ((bbox[3] - bbox[1]) * scale + 6) + "px";
    figure.appendChild(mark);
    return mark;
  }
  document.body.addEventListener("htmx:afterSwap", function () { if (shown) { showInSource(shown); } });

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
