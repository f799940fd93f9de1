/* Clause picker widget (standards.forms.ClausePickerWidget): clicking a search result adds the
   clause to the chosen ones (a checkbox, or a radio button for a single clause). The search
   itself is htmx (hx-get on the search box). Loaded once whatever the number of pickers. */
(function () {
  "use strict";
  if (window.auditbodyClausePicker) return;
  window.auditbodyClausePicker = true;

  function choose(picker, id, label) {
    var chosen = picker.querySelector("[data-clause-selected]");
    var multiple = picker.dataset.multiple === "true";
    var existing = chosen.querySelector('input[value="' + id + '"]');
    if (existing) {
      existing.checked = true;
      return;
    }
    if (!multiple) {
      chosen.querySelectorAll(".form-check").forEach(function (row) { row.remove(); });
    }
    var none = chosen.querySelector("[data-clause-none]");
    if (none) none.remove();
    var row = document.createElement("div");
    row.className = "form-check";
    var input = document.createElement("input");
    input.className = "form-check-input";
    input.type = multiple ? "checkbox" : "radio";
    input.name = picker.dataset.name;
    input.value = id;
    input.checked = true;
    input.id = picker.id + "_" + id;
    var text = document.createElement("label");
    text.className = "form-check-label";
    text.htmlFor = input.id;
    text.textContent = label;
    row.append(input, text);
    chosen.append(row);
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-clause-pick]");
    if (!button) return;
    var picker = button.closest("[data-clause-picker]");
    if (!picker) return;
    event.preventDefault();
    choose(picker, button.dataset.clauseId, button.dataset.clauseLabel);
    picker.querySelector("[data-clause-results]").innerHTML = "";
    var search = picker.querySelector("input[type=search]");
    search.value = "";
    search.focus();
  });
})();
