/* Critical Friend: a table cell holding a word too long for any column (2,000 letters, a
 * pasted link) may break that word anywhere (app.css, .long-words), so the table fits the
 * screen. Only such cells: ordinary words are never cut in two. Without JavaScript the
 * table scrolls sideways instead. */
(function () {
  "use strict";
  var LONG = /\S{40,}/;
  var cells = document.querySelectorAll("main td, main th");
  for (var i = 0; i < cells.length; i++) {
    if (LONG.test(cells[i].textContent)) {
      cells[i].classList.add("long-words");
    }
  }
})();
