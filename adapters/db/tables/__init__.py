"""Every table module, imported so that Base.metadata is complete for Alembic and tests.

Add a line here when you add a table module.
"""

from adapters.db.tables import system  # noqa: F401
from adapters.db.tables import accounts  # noqa: F401
from adapters.db.tables import messages  # noqa: F401
from adapters.db.tables import staff  # noqa: F401
from adapters.db.tables import audit  # noqa: F401
from adapters.db.tables import repairs  # noqa: F401
from adapters.db.tables import tracking  # noqa: F401
