from django.urls import path

from huhang.supervision import views

app_name = "supervision"

urlpatterns = [
    path("", views.item_list, name="list"),
    path("departments/", views.by_department, name="departments"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/report/", views.item_report, name="report"),
    path("items/<int:pk>/assign/", views.item_assign, name="assign"),
    path("items/<int:pk>/milestones/", views.item_milestone, name="milestone"),
    path("items/<int:pk>/milestones/<int:milestone>/", views.milestone_change, name="milestone_change"),
    path("items/<int:pk>/notes/", views.item_note, name="note"),
    path("items/<int:pk>/attachments/<uuid:attachment>/", views.attachment_download, name="attachment"),
]
