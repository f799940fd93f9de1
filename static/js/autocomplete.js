// Search-as-you-type for <select data-autocomplete-url="…">: the page renders only the chosen
// option; Tom Select asks the URL (?q=…) for at most 20 matches as the user types. Without
// JavaScript the select still submits its chosen value.
(function () {
  function bind(select) {
    if (select.tomselect || typeof TomSelect === "undefined") return;
    var url = select.dataset.autocompleteUrl;
    new TomSelect(select, {
      valueField: "value",
      labelField: "text",
      searchField: [],
      allowEmptyOption: true,
      maxOptions: 20,
      loadThrottle: 250,
      shouldLoad: function () { return true; },
      load: function (query, callback) {
        var self = this;
        fetch(url + "?q=" + encodeURIComponent(query), {credentials: "same-origin", headers: {"Accept": "application/json"}})
          .then(function (response) { return response.ok ? response.json() : {results: []}; })
          // The server has matched the text already: show its answer, not what earlier loads left.
          .then(function (data) { self.clearOptions(); callback(data.results); })
          .catch(function () { callback(); });
      },
      preload: "focus"
    });
  }
  function bindAll(root) {
    (root || document).querySelectorAll("select[data-autocomplete-url]").forEach(bind);
  }
  bindAll(document);
  document.addEventListener("htmx:afterSwap", function (event) { bindAll(event.target); });
})();
