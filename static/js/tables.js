/* Critical Friend: two small enhancements for tables; pages work without them.
 *
 * 1. A table cell holding a word too long for any column (2,000 letters, a pasted link) may
 *    break that word anywhere (app.css, .long-words), so the table fits the screen. Only
 *    such cells: ordinary words are never cut in two.
 * 2. A table too wide for the screen scrolls sideways in its .table-responsive box; that box
 *    then takes the keyboard focus (arrow keys scroll it) and is named after the table's
 *    caption, as axe's scrollable-region-focusable rule asks.
 */
(function () {
  "use strict";
  var LONG = /\S{40,}/;
  var cells = document.querySelectorAll("main td, main th");
  for (var i = 0; i < cells.length; i++) {
    if (LONG.test(cells[i].textContent)) {
      cells[i].classList.add("long-words");
    }
  }

  var boxes = document.querySelectorAll("main .table-responsive");
  function markScrollable() {
    for (var j = 0; j < boxes.length; j++) {
      var box = boxes[j];
      if (box.scrollWidth > box.clientWidth) {
        var caption = box.querySelector("caption");
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        if (caption) {
          box.setAttribute("aria-label", caption.textContent.trim());
        }
      } else if (box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    }
  }
  markScrollable();
  window.addEventListener("resize", markScrollable);
})();
