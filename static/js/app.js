// Behaviour the pages declare with data attributes: the Content-Security-Policy forbids inline
// scripts and event-handler attributes (onclick=, onchange=, ...), so they live here.
(function () {
  // <select data-autosubmit>: submit its form when the choice changes (language, assignee).
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("select[data-autosubmit]") && el.form) { el.form.submit(); }
  });
  // <button data-print>: print the page.
  document.addEventListener("click", function (event) {
    var el = event.target.closest && event.target.closest("[data-print]");
    if (el) { window.print(); }
  });
  // <form data-confirm="question">: ask before submitting.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  }, true);
  // <form data-skip-blank-selects>: blank selects need not be sent (a missing cell is blank),
  // which keeps large grids under Django's field limit.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-skip-blank-selects]")) return;
    form.querySelectorAll("select").forEach(function (select) {
      if (!select.value) { select.disabled = true; }
    });
  });
  // <button class="add-row" data-prefix="...">: copy the formset's hidden empty row, numbering it
  // like Django's formsets do.
  document.querySelectorAll("button.add-row").forEach(function (button) {
    button.addEventListener("click", function () {
      var prefix = button.dataset.prefix;
      var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
      var table = button.parentElement.querySelector("table tbody");
      var template = table.querySelector("tr.empty-form");
      var row = template.cloneNode(true);
      row.classList.remove("d-none", "empty-form");
      row.innerHTML = row.innerHTML.replace(/__prefix__/g, total.value);
      table.appendChild(row);
      total.value = parseInt(total.value, 10) + 1;
    });
  });
})();
