from django.urls import path

from meetings.views import agenda, booking, coverage, meeting

app_name = "meetings"

urlpatterns = [
    # Booking (suggestions, slots, confirmation, .ics, invitation letter)
    path("gesprekken/nieuw/", booking.new_meeting, name="new"),
    path("gesprekken/<int:pk>/bevestiging/", booking.confirmation, name="confirmation"),
    path("gesprekken/<int:pk>/agenda.ics", booking.meeting_ics, name="ics"),
    path("gesprekken/<int:pk>/uitnodiging/", booking.invitation_letter, name="letter"),
    # One conversation: details, reschedule, cancel, outcome
    path("gesprekken/<int:pk>/", meeting.meeting_detail, name="detail"),
    path("gesprekken/<int:pk>/verplaatsen/", meeting.reschedule, name="reschedule"),
    path("gesprekken/<int:pk>/annuleren/", meeting.cancel, name="cancel"),
    path("gesprekken/<int:pk>/uitkomst/", meeting.outcome, name="outcome"),
    # The klantmanager's week and personal calendar feed
    path("agenda/", agenda.week, name="agenda"),
    path("agenda/feed/", agenda.feed_settings, name="feed-settings"),
    path("agenda/feed/<str:token>.ics", agenda.feed, name="feed"),
    # Coverage per gebied (teamleider; klantmanagers see their own numbers)
    path("dekking/", coverage.dashboard, name="coverage"),
    path("dekking/dekking.csv", coverage.matrix_csv, name="coverage-matrix-csv"),
    path("dekking/bereik.csv", coverage.reach_csv, name="coverage-reach-csv"),
    path("dekking/afwijkingen/<int:pk>/beoordeeld/", coverage.review, name="coverage-review"),
    path("dekking/<slug:district>/<slug:meeting_type>/", coverage.cell, name="coverage-cell"),
]
