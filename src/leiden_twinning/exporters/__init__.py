"""The built-in exporters: plugins registered exactly like third-party ones."""
