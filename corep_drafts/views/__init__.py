"""Blueprints, one per area. A view parses, calls one service, maps errors to words or status."""
