"""Pages of the program records, one module per record kind."""
