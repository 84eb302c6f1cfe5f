"""The club office's event pages under /geschaeftsstelle/foren/."""

from innoclub.events import urls_office_onsite, urls_office_program, urls_office_registration

app_name = "events_office"

urlpatterns = [
    *urls_office_program.patterns,
    *urls_office_registration.patterns,
    *urls_office_onsite.patterns,
]
