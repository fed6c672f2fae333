// dcc.Upload renders an unlabelled <input type="file"> (axe: label, WCAG 1.3.1/4.1.2): name it
// after the drop zone's visible text so screen-reader users know what it is for.
(function () {
  function fix() {
    document.querySelectorAll("input[type=file]:not([aria-label])").forEach(function (input) {
      var zone = input.parentElement;
      var text = zone && zone.textContent ? zone.textContent.trim() : "";
      input.setAttribute("aria-label", text || "Choose files to upload");
    });
  }
  var scheduled = false;
  new MutationObserver(function () {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(function () { scheduled = false; fix(); });
  }).observe(document.documentElement, { subtree: true, childList: true });
})();
