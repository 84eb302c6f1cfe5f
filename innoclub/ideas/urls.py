"""The idea forge under /ideen/. Fixed paths come before ``<int:pk>/``."""

from django.urls import path

from innoclub.ideas.views import browse, detail, engage, evaluate, office, write

app_name = "ideas"

urlpatterns = [
    path("", browse.idea_list, name="list"),
    path("neu/", write.idea_create, name="create"),
    path("aehnliche/", write.similar_ideas, name="similar"),
    path("<int:pk>/", detail.idea_detail, name="detail"),
    path("<int:pk>/bearbeiten/", write.idea_edit, name="edit"),
    path("<int:pk>/dateien/", write.attachment_upload, name="attachment_upload"),
    path("<int:pk>/dateien/<int:file_id>/", write.attachment_download, name="attachment"),
    path(
        "<int:pk>/dateien/<int:file_id>/loeschen/",
        write.attachment_delete,
        name="attachment_delete",
    ),
    path("<int:pk>/kommentare/", engage.comment_create, name="comment_create"),
    path("<int:pk>/kommentare/<int:comment_id>/", detail.comment_link, name="comment"),
    path(
        "<int:pk>/kommentare/<int:comment_id>/bearbeiten/",
        engage.comment_edit,
        name="comment_edit",
    ),
    path(
        "<int:pk>/kommentare/<int:comment_id>/ausblenden/",
        office.comment_hide,
        name="comment_hide",
    ),
    path(
        "<int:pk>/kommentare/<int:comment_id>/wiederherstellen/",
        office.comment_restore,
        name="comment_restore",
    ),
    path("<int:pk>/unterstuetzen/", engage.support, name="support"),
    path("<int:pk>/mitmachen/", engage.interest, name="interest"),
    path("<int:pk>/folgen/", engage.follow, name="follow"),
    path("<int:pk>/phase/", office.idea_move, name="move"),
    path("<int:pk>/gutachtende/", office.evaluator_assign, name="evaluators"),
    path("<int:pk>/bewertung/", evaluate.evaluate, name="evaluate"),
]
