"""Django database engine `activering.embedded_db`: PostgreSQL that starts itself on demand."""

from pathlib import Path
from typing import Any

from django.db.backends.postgresql import base

from activering.embedded_db import ensure_server


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self) -> dict[str, Any]:
        server = ensure_server(
            Path(self.settings_dict["DATA_DIR"]), database=self.settings_dict["APP_DATABASE"]
        )
        self.settings_dict["HOST"] = server.socket_dir
        self.settings_dict["PORT"] = server.port
        return super().get_connection_params()
