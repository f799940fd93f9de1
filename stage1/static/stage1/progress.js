// The document review's progress bar: its width comes from data-progress (0-100), set here
// because the Content-Security-Policy refuses style attributes in the page. Run once the page is
// read and after every htmx swap (the bar is re-fetched every 2 s while the review runs). Without
// JavaScript the percentage stays readable as the bar's text.
(function () {
  function fill() {
    document.querySelectorAll(".progress-bar[data-progress]").forEach(function (bar) {
      var value = Math.max(0, Math.min(100, parseInt(bar.dataset.progress, 10) || 0));
      bar.style.width = value + "%";
    });
  }
  document.addEventListener("htmx:load", fill);
  fill();
})();
