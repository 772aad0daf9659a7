"""Registry: entities, their IP rights, filings, the service network, libraries and experts."""
