"""The adoption register under /pilotprojekte/<slug>/nachnutzen/ and …/nachnutzung/<id>/.

Included into the ``pilots`` namespace by ``urls.py``.
"""

from django.urls import URLPattern, path

from innoclub.pilots.views import adopt

adoption_patterns: list[URLPattern] = [
    path("<slug:slug>/nachnutzen/", adopt.adopt, name="adopt"),
    path("<slug:slug>/nachnutzung/<int:pk>/", adopt.adoption_detail, name="adoption"),
    path(
        "<slug:slug>/nachnutzung/<int:pk>/bearbeiten/",
        adopt.adoption_edit,
        name="adoption_edit",
    ),
    path(
        "<slug:slug>/nachnutzung/<int:pk>/bestaetigen/",
        adopt.adoption_verify,
        name="adoption_verify",
    ),
]
