"""Query-count tests that compare (as pretalx's): a page runs the same number of queries with one
item and with several, rather than staying under a ceiling that passes while the count grows."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def page_queries(client, url: str) -> tuple[int, object]:
    """(number of queries, response) of one GET that must answer 200."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries.captured_queries), response
