"""Tests of the EDA notebook: executed against a live server, its figures checked."""
