// Progressive enhancement of the forum's forms: each works without this script.

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

// Tag suggestions complete the tag being typed, not only the first: after "ärevus, noo" the
// list offers "ärevus, noorsootöö". The browser matches a suggestion against the whole value,
// so each suggestion is the tags already written followed by a known tag.
document.querySelectorAll("input[list=tag-suggestions]").forEach((input) => {
  const list = document.getElementById(input.getAttribute("list"));
  if (!list) return;
  const tags = Array.from(list.options, (option) => option.value);
  input.addEventListener("input", () => {
    const cut = input.value.lastIndexOf(",");
    const written = cut < 0 ? "" : input.value.slice(0, cut + 1) + " ";
    const typed = input.value.slice(cut + 1).trim().toLocaleLowerCase("et");
    const lower = (tag) => tag.trim().toLocaleLowerCase("et");
    const already = new Set(written.split(",").map(lower));
    const offered = tags.filter((tag) => lower(tag).startsWith(typed) && !already.has(lower(tag)));
    list.replaceChildren(...offered.slice(0, 50).map((tag) => new Option(written + tag)));
  });
});
