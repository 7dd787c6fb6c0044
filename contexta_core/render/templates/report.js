(function () {
  "use strict";
  var table = document.getElementById("runs");
  if (table) {
    var body = table.tBodies[0], heads = table.tHead.rows[0].cells, state = {col: -1, desc: false};
    var collate = new Intl.Collator(undefined, {numeric: true, sensitivity: "base"}).compare;
    var keyOf = function (row, col, num) {
      var cell = row.cells[col], v = cell.getAttribute("data-v");
      if (v === null) v = cell.textContent.trim();
      if (!num) return v === "" ? null : v;
      var n = parseFloat(v);
      return isNaN(n) ? null : n;
    };
    var sortBy = function (col, desc) {
      var num = heads[col].getAttribute("data-type") === "num";
      var keyed = Array.prototype.map.call(body.rows, function (row, i) {
        return [keyOf(row, col, num), i, row];
      });
      keyed.sort(function (a, b) {
        if (a[0] === null || b[0] === null) {
          return a[0] === b[0] ? a[1] - b[1] : (a[0] === null ? 1 : -1);
        }
        var c = num ? a[0] - b[0] : collate(a[0], b[0]);
        return (desc ? -c : c) || a[1] - b[1];
      });
      var frag = document.createDocumentFragment();
      keyed.forEach(function (k) { frag.appendChild(k[2]); });
      body.appendChild(frag);
      for (var i = 0; i < heads.length; i++) {
        heads[i].setAttribute("aria-sort", i === col ? (desc ? "descending" : "ascending") : "none");
      }
      state = {col: col, desc: desc};
    };
    var firstDesc = function (col) { return heads[col].getAttribute("data-first") === "desc"; };
    Array.prototype.forEach.call(heads, function (th, col) {
      var activate = function () { sortBy(col, state.col === col ? !state.desc : firstDesc(col)); };
      th.tabIndex = 0;
      th.addEventListener("click", activate);
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); activate(); }
      });
    });
    var m = /^#sort=(\d+)(?::(asc|desc))?$/.exec(window.location.hash);
    if (m && +m[1] < heads.length) sortBy(+m[1], m[2] ? m[2] === "desc" : firstDesc(+m[1]));
  }
  document.body.setAttribute("data-ready", "1");
})();
