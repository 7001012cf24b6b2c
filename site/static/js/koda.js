// Menus and list filters fold on a narrow screen, so that a phone shows the page's own content
// in its first screen. Without this script they stay open, as they are written.
"use strict";
(() => {
  const narrow = window.matchMedia("(max-width: 48rem)");
  const folding = document.querySelectorAll("details[data-fold-narrow]");
  const fit = () => {
    folding.forEach((details) => {
      // Filters in use stay open: the reader sees what narrows the list.
      details.open = !narrow.matches || details.hasAttribute("data-keep-open");
    });
  };
  fit();
  narrow.addEventListener("change", fit);
})();
