"""Public and participant pages under /foren/.

Each area keeps its patterns in its own module; fixed paths come before
``foren/<slug>/`` so that no event slug can shadow them (see
RESERVED_EVENT_SLUGS).
"""

from innoclub.events import urls_onsite, urls_public, urls_registration

app_name = "events"

urlpatterns = [*urls_registration.patterns, *urls_onsite.patterns, *urls_public.patterns]
