/* Index page: combine the type, language and year filters on the page.
   Without this script the form stays hidden and the static browse/ pages
   filter instead; nothing here is needed to reach any document. */
(function () {
  "use strict";
  var form = document.querySelector("form.combined-filter");
  if (!form) { return; }
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
  var entries = Array.prototype.slice.call(document.querySelectorAll("li.entry"));
  var sections = Array.prototype.slice.call(document.querySelectorAll("section.year"));
  var status = form.querySelector(".filter-status");

  function matches(entry) {
    return selects.every(function (select) {
      if (!select.value) { return true; }
      var values = (entry.getAttribute("data-" + select.getAttribute("data-filter")) || "").split(" ");
      return values.indexOf(select.value) !== -1;
    });
  }

  function apply() {
    var shown = 0;
    entries.forEach(function (entry) {
      var ok = matches(entry);
      entry.hidden = !ok;
      if (ok) { shown += 1; }
    });
    sections.forEach(function (section) {
      section.hidden = !section.querySelector("li.entry:not([hidden])");
    });
    var filtered = selects.some(function (select) { return select.value; });
    status.textContent = filtered ? shown + (shown === 1 ? " document matches." : " documents match.") : "";
  }

  selects.forEach(function (select) { select.addEventListener("change", apply); });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.hidden = false;
  apply();
}());
