// Progressive enhancements for the ledger's pages:
// - filters the incidents table by vendor, impact, year and ongoing state (without JavaScript
//   the form stays hidden and the full table remains usable);
// - names Material's search dialog for assistive technology.
(function () {
  "use strict";
  function setup(form) {
    var table = form.parentNode.querySelector("table.il-filterable");
    if (!table) { return; }
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var output = form.querySelector("output");
    function apply() {
      var vendor = form.elements.vendor.value;
      var impact = form.elements.impact.value;
      var year = form.elements.year.value;
      var ongoing = form.elements.ongoing.checked;
      var shown = 0;
      rows.forEach(function (row) {
        var d = row.dataset;
        var match = (!vendor || d.vendor === vendor) && (!impact || d.impact === impact) &&
          (!year || d.year === year) && (!ongoing || d.ongoing === "yes");
        row.hidden = !match;
        if (match) { shown += 1; }
      });
      output.textContent = shown + " of " + rows.length + " incidents shown";
    }
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    apply();
  }
  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("form.il-filter"), setup);
    var search = document.querySelector(".md-search[role=dialog]");
    if (search && !search.hasAttribute("aria-label")) { search.setAttribute("aria-label", "Search"); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
