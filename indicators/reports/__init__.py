"""Donor reports: what the pipeline writes beside a release, read by the dashboard."""
