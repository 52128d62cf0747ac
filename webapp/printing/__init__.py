"""Printing: builds plain data from the database and hands it to printforms."""
