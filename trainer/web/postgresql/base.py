"""Django's PostgreSQL backend, with a health check that costs no round trip.

With CONN_HEALTH_CHECKS, Django checks a kept connection at the first query of every
request by sending `SELECT 1`: a round trip before every page, which on the play page was
as many round trips as the page's own work, and in `make bench`'s walk a third of all
(DEVELOPERS.md, "Where the time goes"). A server that drops a connection (a restart, a
fail-over, `pg_terminate_backend`) says so on the socket before it closes it: a FATAL
message, then the end of the stream. An idle connection has nothing else to read, since
Saq never LISTENs. So a kept connection is usable when psycopg has not marked it closed
or broken and its socket has nothing waiting; otherwise Django closes it and connects
afresh before the request's first query.
"""

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        if self.connection is None or self.connection.closed or self.connection.broken:
            return False
        try:
            waiting, _, _ = select.select([self.connection.fileno()], [], [], 0)
        except (OSError, ValueError):  # the socket itself is gone
            return False
        return not waiting
