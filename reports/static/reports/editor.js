// The report editor (reports/editor.html).
(function () {
  // Texts in the page's language, from <div id="editor-messages" data-unsaved data-offline>.
  var messages = document.getElementById("editor-messages") || { dataset: {} };
  // Saved/unsaved state of each topic card; autosave itself is htmx (keyup changed delay:1s).
  function stateOf(form) { return form.querySelector("[data-save-state]"); }
  function mark(form, state, text) {
    var el = stateOf(form);
    if (!el) return;
    el.dataset.state = state;
    if (text !== undefined) el.textContent = text;
    form.closest(".topic-card").classList.toggle("unsaved", state === "unsaved");
  }
  document.addEventListener("input", function (event) {
    var form = event.target.closest("form[data-topic-form]");
    if (form) mark(form, "unsaved", messages.dataset.unsaved);
  });
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    var form = event.detail.elt.closest && event.detail.elt.closest("form[data-topic-form]");
    if (status === 409 && form) {
      // Edit conflict: show both texts in the card's conflict panel.
      event.detail.shouldSwap = true;
      event.detail.isError = false;
      event.detail.target = document.getElementById("topic-" + form.dataset.content + "-conflict");
    } else if ((status === 403 || status === 400) && form) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt.closest && event.detail.elt.closest("form[data-topic-form]");
    if (!form) return;
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (status === 200) { mark(form, "saved"); }
    else if (status === 0) { mark(form, "error", messages.dataset.offline); }
    else { mark(form, "error"); }
  });
  window.addEventListener("beforeunload", function (event) {
    if (document.querySelector("[data-save-state][data-state=unsaved], [data-save-state][data-state=error]")) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
