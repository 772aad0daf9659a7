from django.urls import path

from huhang.evidence import views

app_name = "evidence"

urlpatterns = [
    path("evidence/", views.evidence_list, name="list"),
    path("evidence/new/", views.evidence_new, name="new"),
    path("evidence/new/hash/", views.evidence_new_hash, name="new-hash"),
    path("evidence/<uuid:pk>/", views.evidence_detail, name="detail"),
    path("evidence/<uuid:pk>/receipt.json", views.evidence_receipt_download, name="receipt"),
    path("evidence/<uuid:pk>/certificate.pdf", views.evidence_certificate, name="certificate"),
    path("evidence/<uuid:pk>/file", views.evidence_file, name="file"),
    path("verify/", views.verify, name="verify"),
]
