"""Staff pages of the city's programs (thin: parse, call a service or selector, render), one module per program."""
