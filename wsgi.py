"""Entry point for gunicorn (`gunicorn wsgi:app`) and the Flask CLI (`flask --app wsgi …`).

A bad setting stops start-up with one line naming it, not a traceback.
"""

import sys

from portal.app import create_app
from portal.assets import AssetsMissing
from portal.settings import Settings, SettingsError

try:
    app = create_app(Settings.from_env())
except (SettingsError, AssetsMissing) as error:
    print(f"Cannot start the portal: {error}", file=sys.stderr)
    raise SystemExit(2) from None
