"""Use cases. Services validate, change models and are the only place that commits."""
