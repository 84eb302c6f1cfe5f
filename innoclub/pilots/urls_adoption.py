"""The adoption register under /pilotprojekte/<slug>/nachnutzen/ and …/nachnutzung/<id>/.

Included into the ``pilots`` namespace by ``urls.py``.
"""

from django.urls import URLPattern

adoption_patterns: list[URLPattern] = []
