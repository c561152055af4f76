"""The words of the authorization matrix (``test_authorization_matrix.py``), shared with the tables other apps
contribute.

An app with household pages adds ``<app>/tests/authorization_table.py`` holding:

- ``ENDPOINTS``: ``{"namespace:name": (GET or POST, form data that changes nothing)}``;
- ``EXPECTED``: ``{who: {"namespace:name": answer}}`` for every person in ``CAST_ROLES``;
- optionally ``PAGES_WITHOUT_HOUSEHOLD_DATA``: URL names in a household namespace that show no household data
  (a form without a household, like the emergency access search); the crawler then asserts they write no entry;
- optionally ``extend_cast(cast)``: builds what its URLs need (``cast.household``, ``cast.users[who]``) and puts
  the values of URL parameters other than ``household_id`` in ``cast.url_ids``. Factories only: nothing there
  may write the audit log.

The matrix finds these modules itself; a household URL without an expected answer for everyone fails.
"""

OK = "ok"  # GET: 200. POST: the endpoint's own answer (a message and back to the page), not a refusal.
LOGIN = "login"  # 302 to the login page
HIDDEN = 404  # "missing" and "forbidden" look the same
FORBIDDEN = 403  # may see the household, may not do this

GET, POST = "GET", "POST"
