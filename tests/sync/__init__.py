"""Tests of sync, publish and serve, against real servers where it matters."""
