// Suggestions for the search box in the page header: titles that start with what has been
// typed, offered through the input's <datalist>. Without this script the box still searches.
(function () {
  "use strict";
  var input = document.getElementById("site-search-q");
  var list = document.getElementById("site-search-suggestions");
  if (!input || !list || !window.fetch) return;
  var timer = null;
  var last = "";

  function show(results) {
    list.textContent = "";
    results.forEach(function (result) {
      var option = document.createElement("option");
      option.value = result.title;
      list.appendChild(option);
    });
  }

  input.addEventListener("input", function () {
    var value = input.value.trim();
    clearTimeout(timer);
    if (value.length < 2 || value === last) return;
    timer = setTimeout(function () {
      last = value;
      fetch(input.dataset.suggestions + "?q=" + encodeURIComponent(value), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { if (input.value.trim() === value) show(data.results); })
        .catch(function () { /* suggestions are optional */ });
    }, 200);
  });
})();
