// Progressive enhancements for the ledger's pages:
// - filters the incidents table by vendor, impact, evidence, year and ongoing state (without JavaScript
//   the form stays hidden and the full table remains usable);
// - names Material's search dialog for assistive technology;
// - unfolds folded text that a link points at;
// - marks tables wider than the screen, so that they show they scroll.
(function () {
  "use strict";
  // Why a filter shows fewer incidents than a reader expects: this page lists only the newest ones, or
  // nothing listed here matches.
  function explain(form, shown) {
    var why = form.querySelector(".il-filter__why");
    if (!why) { return; }
    var year = form.elements.year;
    var option = year && year.selectedIndex > 0 ? year.options[year.selectedIndex] : null;
    var listed = form.getAttribute("data-listed"), total = form.getAttribute("data-total");
    why.textContent = "";
    if (option && option.getAttribute("data-page")) {
      why.appendChild(document.createTextNode("This page lists only the newest " + listed + " of " + total +
        " incidents, so the Year filter shows only those from " + option.value + ". "));
      var link = document.createElement("a");
      link.href = option.getAttribute("data-page");
      link.textContent = "All incidents of " + option.value;
      why.appendChild(link);
      why.appendChild(document.createTextNode(" are on their own page."));
    } else if (shown === 0) {
      why.textContent = "No incident listed here matches every filter; choose “Any” in one of them to see more.";
    }
    why.hidden = !why.textContent;
  }

  function setup(form) {
    var table = form.parentNode.querySelector("table.il-filterable");
    if (!table) { return; }
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var output = form.querySelector("output");
    function field(name) { return form.elements[name] ? form.elements[name].value : ""; }
    function apply() {
      var vendor = field("vendor");
      var impact = field("impact");
      var year = field("year");
      var evidence = field("evidence");
      var ongoing = form.elements.ongoing ? form.elements.ongoing.checked : false;
      var shown = 0;
      rows.forEach(function (row) {
        var d = row.dataset;
        var match = (!vendor || d.vendor === vendor) && (!impact || d.impact === impact) &&
          (!year || d.year === year) && (!ongoing || d.ongoing === "yes") &&
          (!evidence || d.evidence === evidence ||
            (evidence === "confirmed" && (d.evidence === "vendor" || d.evidence === "press")));
        row.hidden = !match;
        if (match) { shown += 1; }
      });
      output.textContent = shown + " of " + rows.length + " incidents shown";
      explain(form, shown);
    }
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    apply();
  }
  function duration(seconds) {
    if (seconds === null || seconds === undefined) { return "—"; }
    var minutes = Math.round(seconds / 60);
    if (minutes < 60) { return minutes + " min"; }
    var hours = Math.floor(minutes / 60); minutes = minutes % 60;
    if (hours < 48) { return minutes ? hours + " h " + (minutes < 10 ? "0" : "") + minutes + " min" : hours + " h"; }
    var days = Math.floor(hours / 24); hours = hours % 24;
    return hours ? days + " d " + hours + " h" : days + " d";
  }

  function percent(value, digits) {
    return value === null || value === undefined ? "—" : (value * 100).toFixed(digits) + " %";
  }

  function covered(f) {
    if (!f.covered_seconds) { return "not tracked"; }
    return f.partial ? percent(f.covered_seconds / (f.covered_seconds + f.untracked_seconds), 0) + " (partial)" : "100 %";
  }

  function dates(h) { return h.window_start.slice(0, 10) + " to " + h.window_end.slice(0, 10); }

  function availability(a) {
    if (!a) { return "—"; }
    if (a.availability === null || a.availability === undefined) { return a.covered_seconds ? "—" : "not tracked"; }
    return percent(a.availability, 2) + " (weighted " + percent(a.weighted_availability, 2) + "; n " + a.n + ", " +
      Math.round(a.covered_seconds / 86400) + " covered days)";
  }

  function classAvailability(cls) {
    return function (e) {
      if (e.headline.model_availability) { return cls === "api" ? "model: " + availability(e.headline.model_availability) : "—"; }
      return availability(e.headline.classes[cls]);
    };
  }

  // Headline figures over each one's last 365 covered days, then the calendar windows.
  var METRICS = [
    ["Window (last 365 covered days)", function (e) { return dates(e.headline); }],
    ["API availability", classAvailability("api")],
    ["Chat app availability", classAvailability("chat")],
    ["Coding tool availability", classAvailability("coding")],
    ["Severe incidents per 30 covered days", function (e) {
      var r = e.headline.rates.severe;
      if (r.per_30_days === null) { return "not tracked"; }
      return r.per_30_days.toFixed(1) + " (" + r.low.toFixed(1) + "–" + r.high.toFixed(1) + "; n " + r.n + ", " +
        r.episodes + " episodes)";
    }],
    ["Covered (90 days)", function (e) { return covered(e.figures["90d"]); }],
    ["Incidents (90 days)", function (e) { return String(e.figures["90d"].incidents); }],
    ["Impacted hours (90 days)", function (e) { return (e.figures["90d"].impacted_seconds / 3600).toFixed(1); }],
    ["Degraded hours (90 days)", function (e) { return (e.figures["90d"].degraded_seconds / 3600).toFixed(1); }],
    ["Severe hours of anything (90 days)", function (e) {
      var f = e.figures["90d"];
      return f.covered_seconds ? (f.severe_covered_seconds / 3600).toFixed(1) : "not tracked";
    }],
    ["… without its largest incident (90 days)", function (e) {
      var value = e.figures["90d"].severe_covered_seconds_without_largest;
      return value === null || value === undefined ? "—" : (value / 3600).toFixed(1);
    }],
    ["Incidents (all time)", function (e) { return String(e.figures.all.incidents); }],
    ["Median duration", function (e) { return duration(e.figures.all.median_seconds); }],
    ["p90 duration", function (e) { return duration(e.figures.all.p90_seconds); }],
    ["Resolved within 2 h", function (e) { return percent(e.figures.all.resolved_within_2h, 0); }]
  ];

  // Side-by-side comparison of two to four vendors or models, built from the published api/vendors.json.
  function compare(form) {
    var view = document.querySelector(".il-compare-view");
    var full = document.querySelector(".il-compare-all");
    var strips = Array.prototype.slice.call(document.querySelectorAll(".il-strips__row[data-entity]"));
    fetch(form.getAttribute("data-api")).then(function (response) { return response.json(); }).then(function (data) {
      var entities = {};
      data.vendors.forEach(function (vendor) {
        entities[vendor.id] = {name: vendor.name, figures: vendor.figures, headline: vendor.headline};
        Object.keys(vendor.model_figures || {}).forEach(function (model) {
          var info = vendor.models[model] || {name: model};
          entities[vendor.id + "/" + model] = {
            name: info.name + " (" + vendor.name + ")", figures: vendor.model_figures[model],
            headline: vendor.model_headlines[model]
          };
        });
      });
      function render() {
        var picked = [];
        Array.prototype.forEach.call(form.querySelectorAll("select"), function (select) {
          if (select.value && entities[select.value] && picked.indexOf(select.value) < 0) { picked.push(select.value); }
        });
        view.textContent = "";
        var active = picked.length >= 2;
        if (full) { full.hidden = active; }
        strips.forEach(function (row) { row.hidden = active && picked.indexOf(row.dataset.entity) < 0; });
        if (!active) {
          var hint = document.createElement("p");
          hint.textContent = "Pick at least two to compare them side by side.";
          view.appendChild(hint);
          return;
        }
        var table = document.createElement("table");
        table.className = "il-compare il-compare-picked";
        var head = table.createTHead().insertRow();
        var corner = document.createElement("th"); corner.scope = "col"; corner.textContent = "Figure"; head.appendChild(corner);
        picked.forEach(function (key) {
          var th = document.createElement("th"); th.scope = "col"; th.textContent = entities[key].name; head.appendChild(th);
        });
        var body = table.createTBody();
        METRICS.forEach(function (metric) {
          var row = body.insertRow();
          var label = document.createElement("th"); label.scope = "row"; label.textContent = metric[0]; row.appendChild(label);
          picked.forEach(function (key) { row.insertCell().textContent = metric[1](entities[key]); });
        });
        var wrap = document.createElement("div"); wrap.className = "il-table-wrap"; wrap.appendChild(table);
        view.appendChild(wrap);
      }
      form.addEventListener("change", render);
      form.hidden = false;
      render();
    }).catch(function () {
      view.textContent = "The comparison data could not be loaded; the full table below lists every vendor and model.";
    });
  }

  // A link to folded text (the coverage basis on vendor pages) unfolds it.
  function unfold() {
    var target = location.hash ? document.getElementById(location.hash.slice(1)) : null;
    if (target && target.tagName === "DETAILS") { target.open = true; }
  }

  // A table wider than the screen says that it scrolls (the hint and edge shadows are in ledger.css).
  function markScrolling() {
    Array.prototype.forEach.call(document.querySelectorAll(".il-table-wrap"), function (wrap) {
      wrap.classList.toggle("il-table-wrap--scrolls", wrap.scrollWidth - wrap.clientWidth > 1);
    });
  }

  function init() {
    unfold();
    markScrolling();
    window.addEventListener("resize", markScrolling);
    window.addEventListener("hashchange", unfold);
    Array.prototype.forEach.call(document.querySelectorAll("form.il-compare-form"), compare);
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
