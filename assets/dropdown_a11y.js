// Dash 4's dcc.Dropdown puts keyboard focus on a hidden proxy <input aria-hidden="true"
// tabindex="0"> (axe: aria-hidden-focus, WCAG 4.1.2). Make the visible button the tab stop
// instead, and name it by its <label> as well as its value ("Figures as at January 2018").
(function () {
  function fix(root) {
    root.querySelectorAll(".dash-dropdown-wrapper").forEach(function (wrap) {
      var proxy = wrap.querySelector("input.dash-dropdown-focus-target");
      var button = wrap.querySelector("button.dash-dropdown");
      if (!proxy || !button) return;
      if (proxy.getAttribute("tabindex") !== "-1") proxy.setAttribute("tabindex", "-1");
      if (button.getAttribute("tabindex") !== "0") button.setAttribute("tabindex", "0");
      var label = button.id && document.querySelector('label[for="' + button.id + '"]');
      if (label) {
        if (!label.id) label.id = button.id + "-label";
        var by = button.getAttribute("aria-labelledby") || "";
        if (by.split(" ").indexOf(label.id) === -1) button.setAttribute("aria-labelledby", (label.id + " " + by).trim());
      }
    });
  }
  var scheduled = false;
  new MutationObserver(function () {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(function () { scheduled = false; fix(document); });
  }).observe(document.documentElement, { subtree: true, childList: true, attributes: true,
                                         attributeFilter: ["tabindex", "aria-labelledby"] });
})();
