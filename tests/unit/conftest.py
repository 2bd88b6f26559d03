from hypothesis import HealthCheck, settings

# Timing belongs in benchmarks/: on a loaded 2-core CI machine no example may fail for being slow.
settings.register_profile("ds", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ds")
