"""stancemeter's benchmark (`make bench`)."""
