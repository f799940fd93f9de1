"""The certificate's PDFs: rendering (with the QR code of the public page), stored versions
(draft and issued, on ``core.issued``), the Celery task, the PDFs panel, the admin list. The
client portal's "My certificates" page is the portal's (portal/certificates.py).

* ``render`` — the data snapshot, the QR code, the WeasyPrint render (writes nothing);
* ``services`` — who renders and issues, storing a version, queueing, the task's body;
* ``tasks`` — the Celery task (a thin wrapper of ``services.certificate_pdfs_run``);
* ``views``, ``urls``, ``admin`` — pages and admin list.
"""
