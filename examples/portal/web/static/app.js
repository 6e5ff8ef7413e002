// onestop portal: small progressive enhancements. Every page works without
// this file; it only moves focus where a keyboard or screen-reader user
// needs it after a page load.
(function () {
  "use strict";
  function focus(el) {
    if (!el) { return; }
    if (!el.hasAttribute("tabindex")) { el.setAttribute("tabindex", "-1"); }
    el.focus({ preventScroll: false });
  }
  document.addEventListener("DOMContentLoaded", function () {
    // a form came back with errors: go to the summary
    var errors = document.getElementById("errors");
    if (errors) { focus(errors); return; }
    var result = document.getElementById("withdrawn") || document.getElementById("audit-result");
    if (result) { focus(result); return; }
    // the chat: show the newest reply and put the cursor in the input
    if (location.hash === "#latest") {
      var latest = document.getElementById("latest");
      if (latest) { latest.scrollIntoView({ block: "start" }); }
      var input = document.getElementById("chat-text");
      if (input) { input.focus({ preventScroll: true }); }
    }
  });
})();
