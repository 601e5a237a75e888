// Progressive niceties only; every page works without this file.
(function () {
  "use strict";
  var details = document.querySelectorAll("details");
  var controls = document.getElementById("expand-controls");
  if (controls && details.length) {
    controls.hidden = false;
    controls.querySelector("[data-expand=open]").addEventListener("click", function () {
      details.forEach(function (d) { d.open = true; });
    });
    controls.querySelector("[data-expand=close]").addEventListener("click", function () {
      details.forEach(function (d) { d.open = false; });
    });
  }
  // A link to #claim-... opens that claim before the browser scrolls to it.
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (target && target.tagName === "DETAILS") target.open = true;
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();
  // The passage a reader opened from a brief: centred, not at the very top edge.
  var highlight = document.getElementById("highlight");
  if (highlight && location.hash === "#highlight") {
    highlight.scrollIntoView({ block: "center" });
  }
  // Filters apply as soon as an outlet is chosen.
  var outlet = document.querySelector("form.filters select[name=outlet]");
  if (outlet) outlet.addEventListener("change", function () { outlet.form.submit(); });
})();
