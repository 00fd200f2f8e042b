"""Tests that start processes: servers, replicas, the browser, the deployment files."""
