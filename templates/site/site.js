// sdd site: the search box over titles and the table filters. Plain script, no framework,
// no network: the index is the window.SDD_SEARCH array of search-index.js.
(function () {
  "use strict";
  var input = document.getElementById("search");
  var list = document.getElementById("search-results");
  var index = window.SDD_SEARCH || [];
  if (input && list) {
    var root = input.getAttribute("data-root") || "";
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      list.textContent = "";
      if (!words.length) { list.hidden = true; return; }
      var shown = 0;
      for (var i = 0; i < index.length && shown < 50; i++) {
        var title = index[i][0].toLowerCase();
        if (words.every(function (word) { return title.indexOf(word) >= 0; })) {
          var item = document.createElement("li");
          var kind = document.createElement("span");
          kind.className = "kind";
          kind.textContent = index[i][2];
          var link = document.createElement("a");
          link.href = root + index[i][1];
          link.textContent = index[i][0];
          item.appendChild(kind);
          item.appendChild(link);
          list.appendChild(item);
          shown++;
        }
      }
      if (!shown) {
        var none = document.createElement("li");
        none.textContent = "No title matches.";
        list.appendChild(none);
      }
      list.hidden = false;
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { input.value = ""; list.hidden = true; }
    });
  }

  var select = document.getElementById("status-filter");
  var text = document.getElementById("text-filter");
  var count = document.getElementById("filter-count");
  if (select && text) {
    var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-status]"));
    var wanted = new URLSearchParams(window.location.search).get("status");
    if (wanted) { select.value = wanted; }
    var apply = function () {
      var status = select.value;
      var words = text.value.toLowerCase().split(/\s+/).filter(Boolean);
      var visible = 0;
      rows.forEach(function (row) {
        var content = row.textContent.toLowerCase();
        var show = (!status || row.getAttribute("data-status") === status) &&
          words.every(function (word) { return content.indexOf(word) >= 0; });
        row.hidden = !show;
        if (show) { visible++; }
      });
      if (count) { count.textContent = visible + " of " + rows.length + " shown"; }
    };
    select.addEventListener("change", apply);
    text.addEventListener("input", apply);
    apply();
  }
})();
