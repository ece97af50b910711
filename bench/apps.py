from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Benchmark tooling: the city-scale data generator and the load test driver (no models)."""

    name = "bench"
    verbose_name = "Benchmark"
