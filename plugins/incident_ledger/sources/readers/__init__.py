"""One module per published status-data shape, each returning `record.VendorIncident`s."""
