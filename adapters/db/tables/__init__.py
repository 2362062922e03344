"""Every table module, imported so that Base.metadata is complete for Alembic and tests.

Add a line here when you add a table module.
"""

from adapters.db.tables import (
    accounts,  # noqa: F401
    audit,  # noqa: F401
    messages,  # noqa: F401
    repairs,  # noqa: F401
    staff,  # noqa: F401
    system,  # noqa: F401
    tracking,  # noqa: F401
)
