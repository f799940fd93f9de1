// The scheduling calendar: FullCalendar (vendored) reads the events as JSON; dragging an audit
// posts the new first day with htmx, and the server's rules accept or refuse the move.
(function () {
  "use strict";
  var el = document.getElementById("calendar");
  if (!el || !window.FullCalendar) return;
  var pending = null;
  var params = new URLSearchParams(window.location.search);
  var filters = {};
  ["profile", "standard", "code", "region"].forEach(function (name) {
    if (params.get(name)) filters[name] = params.get(name);
  });
  var calendar = new FullCalendar.Calendar(el, {
    initialView: el.dataset.initialView || "dayGridMonth",
    initialDate: el.dataset.initialDate || undefined,
    locale: (el.dataset.locale || "en").indexOf("zh") === 0 ? "zh-cn" : "en",
    firstDay: 1,
    headerToolbar: { left: "prev,next today", center: "title", right: "dayGridMonth,timeGridWeek" },
    allDaySlot: true,
    height: "auto",
    events: { url: el.dataset.events, extraParams: filters },
    editable: el.dataset.canMove === "1",
    eventDurationEditable: false,
    eventDidMount: function (info) {
      info.el.setAttribute("data-testid", "calendar-event");
      info.el.setAttribute("data-kind", info.event.extendedProps.kind || "");
      info.el.setAttribute("title", info.event.title);
    },
    eventAllow: function (dropInfo, event) {
      return event.extendedProps.kind === "audit";
    },
    eventDrop: function (info) {
      pending = info;
      var start = info.event.startStr.substring(0, 10);
      htmx.ajax("POST", el.dataset.move, {
        target: "#calendar-message",
        swap: "innerHTML",
        values: { audit: info.event.extendedProps.pk, start: start, version: info.event.extendedProps.version },
        headers: { "X-CSRFToken": el.dataset.csrf },
      });
    },
  });
  document.body.addEventListener("moveRefused", function () {
    if (pending) pending.revert();
    pending = null;
  });
  document.body.addEventListener("moveDone", function () {
    pending = null;
    calendar.refetchEvents();
  });
  calendar.render();
  window.auditbodyCalendar = calendar;
})();
