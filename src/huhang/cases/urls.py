from django.urls import path

from huhang.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("mine/", views.mine, name="mine"),
    path("file/", views.file_request, name="file"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/act/<slug:action>/", views.act, name="act"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/track/", views.track, name="track"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/experts/", views.expert_add, name="expert-add"),
    path("<int:pk>/documents/<uuid:doc>.<str:fmt>", views.document_file, name="document"),
    path("<int:pk>/documents/<uuid:doc>/serve/", views.serve, name="serve"),
]
