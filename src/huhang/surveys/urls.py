from django.urls import path

from huhang.surveys import views

app_name = "surveys"

urlpatterns = [
    path("", views.portal, name="portal"),
    path("q/<slug:code>/", views.answer, name="answer"),
    path("thanks/", views.thanks, name="thanks"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("mine/", views.mine, name="mine"),
    path("results/", views.results, name="results"),
    path("results/answers/<int:pk>/", views.answer_detail, name="answer-detail"),
    path("results/answers/<int:pk>/invalidate/", views.invalidate, name="invalidate"),
    path("invitations/", views.invitations, name="invitations"),
]
