"""The report's PDFs: report numbers, render requests and jobs, stored versions (draft and issued,
on ``core.issued``), the print layout and the render, their pages, admin and Celery task.

* ``services`` — the rules: who renders and issues, report numbers, requests, running a job;
* ``layout`` and ``render`` — the report's print layout, its data snapshot, the WeasyPrint render;
* ``tasks`` — the Celery task (a thin wrapper of ``services.render_job_run``);
* ``views``, ``urls``, ``admin`` — the versions panel and pages, the download, the admin lists.
"""
