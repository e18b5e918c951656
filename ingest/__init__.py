"""Bulk import of CSV files into the graph, the demo data generator and the LDBC converter."""
