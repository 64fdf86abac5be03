"""Configuration files: outlets (validated TOML) and the shared TOML reader."""
