"""Data ingestion: uploaded files become samples. `formats` holds the pure parsers."""
