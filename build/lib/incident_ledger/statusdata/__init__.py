"""Readers for vendors' public status data: each turns one published shape into `VendorIncident` records."""
