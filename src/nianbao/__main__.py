"""``python -m nianbao``."""

from .cli import run

run()
