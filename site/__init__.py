# Imported as `koda`: the standard library already owns the module name `site` (see pyproject.toml).
