from django.urls import path

from .views import applications as views
from .views import changes, invoices, registration, transfers

app_name = "applications"

urlpatterns = [
    path("", views.application_list, name="list"),
    path("new/", views.application_new, name="new"),
    path("mine/", views.portal_index, name="portal_index"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/edit/", views.application_edit, name="edit"),
    path("<int:pk>/act/", views.application_act, name="act"),
    path("<int:pk>/attach/", views.attachment_add, name="attach"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/quote/", views.quotation_issue, name="quote"),
    path("<int:pk>/contract/", views.contract_issue, name="contract_issue"),
    path("quotations/<int:pk>/answer/", views.quotation_respond, name="quotation_respond"),
    path("quotations/<int:pk>/pdf/", views.quotation_download, name="quotation_pdf"),
    path("contracts/<int:pk>/act/", views.contract_act, name="contract_act"),
    path("contracts/<int:pk>/signed-copy/", views.contract_copy, name="contract_copy_download"),
    path("<int:pk>/transfer-review/", transfers.transfer_review, name="transfer_review"),
    path("<int:pk>/transfer-proceed/", transfers.transfer_proceed, name="transfer_proceed"),
    path("<int:pk>/transfer-decision/", transfers.transfer_decision, name="transfer_decision"),
    path("changes/", changes.change_list, name="change_list"),
    path("changes/mine/", changes.change_portal, name="change_portal"),
    path("changes/new/", changes.change_new, name="change_new"),
    path("changes/<int:pk>/", changes.change_detail, name="change_detail"),
    path("changes/<int:pk>/act/", changes.change_act, name="change_act"),
    path("contracts/<int:pk>/invoices/", invoices.contract_invoices, name="contract_invoices"),
    path("contracts/<int:pk>/invoices/issue/", invoices.invoice_issue, name="invoice_issue"),
    path("invoices/", invoices.invoice_list, name="invoice_list"),
    path("invoices/mine/", invoices.portal_invoices, name="portal_invoices"),
    path("invoices/<int:pk>/act/", invoices.invoice_act, name="invoice_act"),
    path("register/", registration.register, name="register"),
    path("register/confirm/<str:token>/", registration.registration_confirm, name="registration_confirm"),
]
