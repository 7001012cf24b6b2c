// A municipality list follows its county: the other counties' municipalities are hidden, and
// choosing a municipality first fills in its county. Progressive enhancement: without the
// script every municipality is listed and the server refuses a pair that does not match.
"use strict";
document.querySelectorAll("select[data-county-from]").forEach((municipality) => {
  const county = document.getElementById(municipality.dataset.countyFrom);
  if (!county) return;
  const follow = () => {
    for (const option of municipality.options) {
      if (!option.dataset.county) continue; // the empty choice stays
      const elsewhere = county.value !== "" && option.dataset.county !== county.value;
      option.hidden = elsewhere;
      option.disabled = elsewhere;
    }
    const chosen = municipality.selectedOptions[0];
    if (chosen && chosen.disabled) municipality.value = "";
  };
  county.addEventListener("change", follow);
  municipality.addEventListener("change", () => {
    const chosen = municipality.selectedOptions[0];
    if (chosen && chosen.dataset.county && county.value !== chosen.dataset.county) {
      county.value = chosen.dataset.county;
      follow();
    }
  });
  follow();
});
