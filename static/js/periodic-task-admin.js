// The crontab's readable translation on django-celery-beat's periodic task form (admin), moved
// out of its template: the Content-Security-Policy forbids inline scripts.
(function () {
  var $ = window.django && window.django.jQuery;
  var data = document.getElementById("readable-crontabs");
  var help = document.getElementById("periodic-task-crontab-help");
  if (!$ || !data || !help) return;
  var readableCrontabs = JSON.parse(data.textContent);
  var originalCrontabHelp = help.dataset.help;
  $(".field-crontab_translation").hide();
  $(".field-crontab").change(function () {
    var help = $(".field-crontab .help");
    help.text(originalCrontabHelp);
    help.append(document.createElement("br"));
    help.append(document.createTextNode("Translation: " + readableCrontabs[$("#id_crontab").val()]));
  });
})();
