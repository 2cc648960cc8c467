"""The ``mrtext_*`` spaCy components, one module per factory (registered through entry points)."""
