"""Nautobot settings for developing and testing nautobot-techmgmt.

Every connection detail comes from the environment, with defaults for a local PostgreSQL and Redis
on 127.0.0.1. Set NAUTOBOT_DB_ENGINE=django.db.backends.mysql (and NAUTOBOT_DB_PORT=3306,
NAUTOBOT_DB_USER=root) to run on MySQL/MariaDB.
"""

import os
import sys

# A Nautobot configuration extends core's settings, as `nautobot-server init` writes it: by importing all of them.
from nautobot.core.settings import *  # noqa: F403  # pylint: disable=wildcard-import,unused-wildcard-import
from nautobot.core.settings_funcs import is_truthy, parse_redis_connection

TESTING = len(sys.argv) > 1 and sys.argv[1] == "test" or "pytest" in sys.modules

DEBUG = is_truthy(os.getenv("NAUTOBOT_DEBUG", "false"))
ALLOWED_HOSTS = os.getenv("NAUTOBOT_ALLOWED_HOSTS", "*").split(" ") + ["nautobot.example.com"]
SECRET_KEY = os.getenv("NAUTOBOT_SECRET_KEY", "techmgmt-development-only-secret-key-0123456789abcdefghij")
INSTALLATION_METRICS_ENABLED = False
METRICS_ENABLED = False
OTEL_TRACES_EXPORTER = ["none"]
OTEL_METRICS_EXPORTER = ["none"]

_DB_ENGINE = os.getenv("NAUTOBOT_DB_ENGINE", "django.db.backends.postgresql")
_IS_MYSQL = "mysql" in _DB_ENGINE
DATABASES = {
    "default": {
        "NAME": os.getenv("NAUTOBOT_DB_NAME", "nautobot_techmgmt"),
        "USER": os.getenv("NAUTOBOT_DB_USER", "root" if _IS_MYSQL else "postgres"),
        "PASSWORD": os.getenv("NAUTOBOT_DB_PASSWORD", ""),
        "HOST": os.getenv("NAUTOBOT_DB_HOST", "127.0.0.1"),
        "PORT": os.getenv("NAUTOBOT_DB_PORT", "3306" if _IS_MYSQL else "5432"),
        "CONN_MAX_AGE": int(os.getenv("NAUTOBOT_DB_TIMEOUT", "300")),
        "ENGINE": _DB_ENGINE,
    }
}
if _IS_MYSQL:
    DATABASES["default"]["OPTIONS"] = {"charset": "utf8mb4"}
    # Case-insensitive like Nautobot's own MySQL test database (its icontains/iexact filters rely on it);
    # utf8mb4_unicode_ci exists on both MySQL 8 and MariaDB, which lacks MySQL's utf8mb4_0900_ai_ci.
    DATABASES["default"]["TEST"] = {"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"}

_REDIS_DB = int(os.getenv("NAUTOBOT_REDIS_DB", "2" if TESTING else "0"))
CACHES["default"]["LOCATION"] = parse_redis_connection(redis_database=_REDIS_DB)  # noqa: F405
CELERY_BROKER_URL = os.getenv("NAUTOBOT_CELERY_BROKER_URL", parse_redis_connection(redis_database=_REDIS_DB + 1))

if TESTING:
    # Jobs run in-process and the broker lives in memory, so tests need no Celery worker.
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_STORE_EAGER_RESULT = True
    CELERY_BROKER_URL = "memory://"
    CONSTANCE_BACKEND = "constance.backends.memory.MemoryBackend"
    CONTENT_TYPE_CACHE_TIMEOUT = 0
    TEST_USE_FACTORIES = False

_LOCAL = os.path.join(os.path.dirname(os.path.abspath(__file__)), ".local")
MEDIA_ROOT = os.path.join(_LOCAL, "media")
STATIC_ROOT = os.getenv("NAUTOBOT_STATIC_ROOT", os.path.join(_LOCAL, "static"))
GIT_ROOT = os.path.join(_LOCAL, "git")
JOBS_ROOT = os.path.join(_LOCAL, "jobs")

PLUGINS = ["nautobot_techmgmt"]
PLUGINS_CONFIG = {"nautobot_techmgmt": {}}
